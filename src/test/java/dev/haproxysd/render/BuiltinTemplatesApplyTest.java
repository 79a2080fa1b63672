package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.HaproxyInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each shipped template applied by {@code apply --runtime-api} to a real master-worker haproxy on 127.0.0.1: the
 * first apply, a weight change and a scale within the slots through the runtime API (same worker, no reload), and
 * a new service, which needs a reload. builtin:dns-srv writes no server lines (haproxy resolves them itself), so
 * there an inventory scale changes nothing and a slot count change reloads.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class BuiltinTemplatesApplyTest {
  private static final String STATS_USER = "metrics";
  private static final String STATS_PASSWORD = "s3cret-for-tests";
  private static final int ADMIN_FORCED_MAINT = 0x01;

  @TempDir Path dir;
  private HaproxyInstance haproxy;
  private SrvDnsServer dns;
  private Path inventory;
  private String builtin;
  private final Map<String, String> vars = new TreeMap<>();

  @AfterEach
  void stop() {
    if (haproxy != null) {
      haproxy.close();
    }
    if (dns != null) {
      dns.close();
    }
  }

  @ParameterizedTest(name = "builtin:{0}")
  @ValueSource(strings = {"asg-http", "cloudmap-hosts", "tls-edge"})
  void applyThenWeightAndScaleWithoutReload_thenANewServiceReloadsOnce(String name) throws Exception {
    start(name);
    serve(Map.of("web", List.of(server(10001, 100), server(10002, 100))));
    Cli.Result first = apply();
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("reload: yes (no recorded apply to compare with)"), first.err());
    ProcStatus applied = haproxy.showProc();
    assertEquals(Map.of(10001, 100, 10002, 100), liveWeights());

    serve(Map.of("web", List.of(server(10001, 50), server(10002, 100))));
    Cli.Result weight = apply();
    assertEquals(0, weight.code(), weight.err());
    assertTrue(weight.err().contains("runtime changes: 1, reload: no"), weight.err());
    assertSameWorker(applied);
    assertEquals(Map.of(10001, 50, 10002, 100), liveWeights());

    serve(Map.of("web", List.of(server(10001, 50), server(10002, 100), server(10003, 100))));
    Cli.Result scale = apply();
    assertEquals(0, scale.code(), scale.err());
    assertTrue(scale.err().contains("runtime changes: 1, reload: no"), scale.err());
    assertSameWorker(applied);
    assertEquals(Map.of(10001, 50, 10002, 100, 10003, 100), liveWeights());

    serve(Map.of("web", List.of(server(10001, 50), server(10002, 100), server(10003, 100)),
        "api", List.of(server(10004, 100))));
    Cli.Result newService = apply();
    assertEquals(0, newService.code(), newService.err());
    assertTrue(newService.err().contains("runtime changes: 0, reload: yes"), newService.err());
    ProcStatus reloaded = assertReloadedOnceSince(applied);
    assertEquals(Map.of(10001, 50, 10002, 100, 10003, 100, 10004, 100), liveWeights());

    Cli.Result again = apply();
    assertEquals(0, again.code(), again.err());
    assertEquals("", again.err(), "nothing changed: a silent run");
    assertSameWorker(reloaded);
  }

  @Test
  void dnsSrv_anInventoryScaleChangesNothing_andANewSlotCountReloadsOnce() throws Exception {
    dns = new SrvDnsServer(Map.of());
    start("dns-srv");
    serve(Map.of("api", List.of(server(10001, 100))));
    Cli.Result first = apply();
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("reload: yes (no recorded apply to compare with)"), first.err());
    ProcStatus applied = haproxy.showProc();
    assertTrue(Files.readString(haproxy.layout().configFile()).contains("server-template api 3 "));

    serve(Map.of("api", List.of(server(10001, 50), server(10002, 100))));
    Cli.Result scale = apply();
    assertEquals(0, scale.code(), scale.err());
    assertEquals("", scale.err(), "the servers come from DNS: the config is the same");
    assertSameWorker(applied);

    vars.put("slots", "5");
    Cli.Result slots = apply();
    assertEquals(0, slots.code(), slots.err());
    assertTrue(slots.err().contains("runtime changes: 0, reload: yes"), slots.err());
    assertReloadedOnceSince(applied);
    assertTrue(Files.readString(haproxy.layout().configFile()).contains("server-template api 5 "));
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  /** Renders the template for an empty inventory and starts haproxy on it, as a fresh install would. */
  private void start(String name) throws Exception {
    builtin = name;
    inventory = dir.resolve("inventory.json");
    serve(Map.of());
    Path serverState = Files.writeString(dir.resolve("server-state"), "1\n");
    Map<String, String> haproxyEnv = Map.of("HAPROXY_STATS_USER", STATS_USER, "HAPROXY_STATS_PASSWORD",
        STATS_PASSWORD);
    haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir, 2), haproxyEnv, layout -> {
      vars.clear();
      vars.putAll(TemplateFixture.unprivileged(layout));
      vars.put("server_state_file", serverState.toString());
      vars.put("bind", "127.0.0.1:" + layout.ports().get(0));
      switch (name) {
        case "cloudmap-hosts" -> {
          vars.put("domain", "svc.test");
          vars.put("stats_bind", "127.0.0.1:" + layout.ports().get(1));
        }
        case "tls-edge" -> {
          vars.put("tls_bind", "127.0.0.1:" + layout.ports().get(1));
          vars.put("cert_dir", certDir().toString());
          vars.put("acme_server", "none");
        }
        case "dns-srv" -> {
          vars.put("namespace", "internal.test");
          vars.put("domain", "svc.test");
          vars.put("resolver", "127.0.0.1:" + dns.port());
          vars.put("slots", "3");
        }
        default -> { }
      }
      Cli.Result bootstrap = Cli.run(withTemplate(List.of("render", "--inventory", inventory.toString(),
          "--output", layout.configFile().toString(), "--state-dir", dir.resolve("state").toString())));
      assertEquals(0, bootstrap.code(), bootstrap.err());
    });
  }

  private Path certDir() throws IOException {
    try {
      return SelfSignedCert.create(dir).certDir();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private Cli.Result apply() {
    HaproxyInstance.Layout layout = haproxy.layout();
    return Cli.run(withTemplate(List.of("apply", "--inventory", inventory.toString(), "--config-file",
        layout.configFile().toString(), "--state-dir", dir.resolve("state").toString(), "--reload",
        "master-socket:" + layout.masterSocket(), "--runtime-api", layout.statsSocket().toString(),
        "--max-removal=100%", "--allow-empty")));
  }

  private List<String> withTemplate(List<String> command) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("--template", "builtin:" + builtin, "--slots", "4"));
    vars.forEach((key, value) -> args.addAll(List.of("--var", key + "=" + value)));
    return args;
  }

  private static String server(int port, int weight) {
    return "{\"id\":\"srv-" + port + "\",\"address\":\"127.0.0.1\",\"port\":" + port + ",\"weight\":" + weight + "}";
  }

  private void serve(Map<String, List<String>> services) throws IOException {
    List<String> entries = new ArrayList<>();
    new TreeMap<>(services).forEach((service, servers) -> entries.add("{\"name\":\"" + service
        + "\",\"source\":\"file\",\"servers\":[" + String.join(",", servers) + "]}"));
    Files.writeString(inventory, "{\"version\":1,\"services\":[" + String.join(",", entries) + "]}\n");
  }

  private ProcStatus assertReloadedOnceSince(ProcStatus before) {
    ProcStatus now = haproxy.showProc();
    assertEquals(before.reloads() + 1, now.reloads(), "one reload: " + before + " -> " + now);
    assertTrue(before.hasNewWorkerIn(now), "a new worker: " + before + " -> " + now);
    return now;
  }

  private void assertSameWorker(ProcStatus before) {
    haproxy.assertNoReloadSince(before, "no reload, the same worker serves");
  }

  /**
   * Port → weight of every server haproxy has out of maintenance, from its own {@code show servers state}, read
   * with the harness's socket client rather than the production parser.
   */
  private Map<Integer, Integer> liveWeights() {
    Map<Integer, Integer> live = new TreeMap<>();
    List<String> header = null;
    for (String line : haproxy.stats("show servers state").lines().toList()) {
      if (line.startsWith("# be_id")) {
        header = List.of(line.substring(2).split(" "));
      } else if (header != null && !line.isBlank() && !line.startsWith("#")) {
        String[] f = line.split(" ");
        int admin = Integer.parseInt(f[header.indexOf("srv_admin_state")]);
        if ((admin & ADMIN_FORCED_MAINT) == 0 && f[header.indexOf("srv_addr")].equals("127.0.0.1")) {
          int port = Integer.parseInt(f[header.indexOf("srv_port")]);
          Integer twice = live.put(port, Integer.parseInt(f[header.indexOf("srv_uweight")]));
          assertEquals(null, twice, "port " + port + " is in two live slots");
        }
      }
    }
    return live;
  }
}
