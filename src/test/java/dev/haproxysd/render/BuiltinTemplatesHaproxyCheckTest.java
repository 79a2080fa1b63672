package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.haproxysd.haproxy.CheckResult;
import dev.haproxysd.testing.HaproxyInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every golden case of every built-in template passes the real {@code haproxy -c} without a warning. */
class BuiltinTemplatesHaproxyCheckTest {
  static final Map<String, String> STATS_ENV =
      Map.of("HAPROXY_STATS_USER", "metrics", "HAPROXY_STATS_PASSWORD", "s3cret pass\"word$");

  private static final java.util.function.Function<String, TemplateFixture> EXAMPLE =
      builtin -> new TemplateFixture(builtin, "example");

  @TempDir Path dir;

  static List<TemplateFixture> cases() throws IOException {
    return TemplateFixture.all();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void unprivilegedRenderPassesHaproxyCheckWithoutWarnings(TemplateFixture fixture) throws Exception {
    Map<String, String> overrides = new HashMap<>(TemplateFixture.unprivileged(dir));
    overrides.putAll(testOnlyPaths(fixture.builtin()));
    CheckResult result = check(fixture, overrides, STATS_ENV);
    assertTrue(result.valid(), () -> "alerts: " + result.alerts());
    assertEquals(List.of(), result.warnings());
  }

  /** The golden file's own settings (tls-edge aside, which needs a certificate where the test can make one). */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void productionDefaultsPassHaproxyCheck(TemplateFixture fixture) throws Exception {
    assumeTrue(userExists("haproxy"), "the Debian haproxy package's user 'haproxy' is not on this machine");
    CheckResult result = check(fixture, testOnlyPaths(fixture.builtin()), STATS_ENV);
    assertTrue(result.valid(), () -> "alerts: " + result.alerts());
    assertEquals(List.of(), result.warnings());
  }

  @Test
  void cloudmapHostsWarnsWhenHaproxyHasNoStatsCredentials() throws Exception {
    CheckResult result = check(EXAMPLE.apply("cloudmap-hosts"), TemplateFixture.unprivileged(dir), Map.of());
    assertTrue(result.valid(), () -> "alerts: " + result.alerts());
    assertEquals(1, result.warnings().size(), result.warnings()::toString);
    assertTrue(result.warnings().get(0).contains("/stats and /metrics will refuse every request"));
  }

  @Test
  void dnsSrvWithAVpcResolverAddressPassesHaproxyCheck() throws Exception {
    Map<String, String> overrides = new HashMap<>(TemplateFixture.unprivileged(dir));
    overrides.put("resolver", "169.254.169.253:53");
    overrides.put("slots", "20");
    overrides.put("dns_hold", "30m");
    CheckResult result = check(EXAMPLE.apply("dns-srv"), overrides, Map.of());
    assertTrue(result.valid(), () -> "alerts: " + result.alerts());
    assertEquals(List.of(), result.warnings());
  }

  @Test
  void tlsEdgeWithoutAcmeOrHstsPassesHaproxyCheck() throws Exception {
    Map<String, String> overrides = new HashMap<>(TemplateFixture.unprivileged(dir));
    overrides.putAll(testOnlyPaths("tls-edge"));
    overrides.put("acme_server", "none");
    TemplateFixture fixture = EXAMPLE.apply("tls-edge");
    SortedMap<String, String> vars = fixture.vars(overrides);
    vars.remove("hsts_max_age");
    String cfg = TemplateEngine.load("builtin:tls-edge").render(fixture.inventory(), vars).text();
    assertTrue(!cfg.contains("acme") && !cfg.contains("Strict-Transport-Security"), cfg);
    Path file = Files.writeString(dir.resolve("tls-edge-plain.cfg"), cfg);
    CheckResult result = HaproxyInstance.check(file, Map.of());
    assertTrue(result.valid(), () -> "alerts: " + result.alerts());
    assertEquals(List.of(), result.warnings());
  }

  private CheckResult check(TemplateFixture fixture, Map<String, String> overrides, Map<String, String> env)
      throws IOException {
    Path file = Files.writeString(dir.resolve(fixture.builtin() + ".cfg"), fixture.render(overrides));
    return HaproxyInstance.check(file, env);
  }

  /**
   * What no machine has at the production default: a certificate directory for tls-edge, and the server-state-file
   * that apply creates before its first reload.
   */
  private Map<String, String> testOnlyPaths(String name) throws Exception {
    Map<String, String> paths = new HashMap<>();
    paths.put("server_state_file", TemplateFixture.serverStateFile(dir));
    if (name.equals("tls-edge")) {
      paths.put("cert_dir", SelfSignedCert.create(dir).certDir().toString());
    }
    return paths;
  }

  private static boolean userExists(String user) throws IOException {
    return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
  }
}
