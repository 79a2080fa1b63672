package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.haproxysd.haproxy.CheckResult;
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

/** Every built-in template, rendered from its fixture, passes the real {@code haproxy -c} without a warning. */
class BuiltinTemplatesHaproxyCheckTest {
  static final Map<String, String> STATS_ENV =
      Map.of("HAPROXY_STATS_USER", "metrics", "HAPROXY_STATS_PASSWORD", "s3cret pass\"word$");

  @TempDir Path dir;

  static List<String> builtins() {
    return TemplateEngine.BUILTINS;
  }

  @ParameterizedTest(name = "builtin:{0}")
  @MethodSource("builtins")
  void unprivilegedRenderPassesHaproxyCheckWithoutWarnings(String name) throws Exception {
    Map<String, String> overrides = new HashMap<>(TemplateFixture.unprivileged(dir));
    overrides.putAll(testOnlyPaths(name));
    CheckResult result = check(name, overrides, STATS_ENV);
    assertTrue(result.valid(), () -> "alerts: " + result.alerts());
    assertEquals(List.of(), result.warnings());
  }

  @ParameterizedTest(name = "builtin:{0}")
  @MethodSource("builtins")
  void productionDefaultsPassHaproxyCheck(String name) throws Exception {
    assumeTrue(userExists("haproxy"), "the Debian haproxy package's user 'haproxy' is not on this machine");
    CheckResult result = check(name, testOnlyPaths(name), STATS_ENV);
    assertTrue(result.valid(), () -> "alerts: " + result.alerts());
    assertEquals(List.of(), result.warnings());
  }

  @Test
  void cloudmapHostsWarnsWhenHaproxyHasNoStatsCredentials() throws Exception {
    CheckResult result = check("cloudmap-hosts", TemplateFixture.unprivileged(dir), Map.of());
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
    CheckResult result = check("dns-srv", overrides, Map.of());
    assertTrue(result.valid(), () -> "alerts: " + result.alerts());
    assertEquals(List.of(), result.warnings());
  }

  @Test
  void tlsEdgeWithoutAcmeOrHstsPassesHaproxyCheck() throws Exception {
    Map<String, String> overrides = new HashMap<>(TemplateFixture.unprivileged(dir));
    overrides.putAll(testOnlyPaths("tls-edge"));
    overrides.put("acme_server", "none");
    TemplateFixture fixture = new TemplateFixture("tls-edge");
    SortedMap<String, String> vars = fixture.vars(overrides);
    vars.remove("hsts_max_age");
    String cfg = fixture.engine().render(fixture.inventory(), vars).text();
    assertTrue(!cfg.contains("acme") && !cfg.contains("Strict-Transport-Security"), cfg);
    Path file = Files.writeString(dir.resolve("tls-edge-plain.cfg"), cfg);
    CheckResult result = RealHaproxy.check(file, Map.of());
    assertTrue(result.valid(), () -> "alerts: " + result.alerts());
    assertEquals(List.of(), result.warnings());
  }

  private CheckResult check(String name, Map<String, String> overrides, Map<String, String> env) throws IOException {
    TemplateFixture fixture = new TemplateFixture(name);
    String cfg = fixture.engine().render(fixture.inventory(), fixture.vars(overrides)).text();
    Path file = Files.writeString(dir.resolve(name + ".cfg"), cfg);
    return RealHaproxy.check(file, env);
  }

  /** What no machine has at the production default: a certificate directory for tls-edge. */
  private Map<String, String> testOnlyPaths(String name) throws Exception {
    if (!name.equals("tls-edge")) {
      return Map.of();
    }
    return Map.of("cert_dir", SelfSignedCert.create(dir).certDir().toString());
  }

  private static boolean userExists(String user) throws IOException {
    return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
  }
}
