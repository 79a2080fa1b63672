package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.testing.HaproxyInstance;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** builtin:cloudmap-hosts through a real haproxy on 127.0.0.1: Host routing, 404/503, protected /stats and /metrics. */
class CloudMapHostsEndToEndTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final String USER = "scraper";
  private static final String PASSWORD = "pa ss\"w0rd#$x";

  @TempDir Path dir;
  private TestBackend orders;
  private TestBackend catalog;
  private TestBackend accounts;
  private int httpPort;
  private int statsPort;

  @BeforeEach
  void backends() throws Exception {
    orders = new TestBackend("orders");
    catalog = new TestBackend("catalog");
    accounts = new TestBackend("accounts");
  }

  @AfterEach
  void stopBackends() {
    orders.close();
    catalog.close();
    accounts.close();
  }

  @Test
  void routesByHostHeaderAndProtectsStatsAndMetrics() throws Exception {
    Map<String, String> env = Map.of("HAPROXY_STATS_USER", USER, "HAPROXY_STATS_PASSWORD", PASSWORD);
    try (HaproxyInstance haproxy = start(env)) {
      HttpProbe http = HttpProbe.plain(httpPort);
      // service attribute host, instance attribute host, SERVICE.DOMAIN; port and case in Host are ignored
      assertEquals("orders proto=null\n", http.get("orders.shop.test", "/").body());
      assertEquals("catalog proto=null\n", http.get("Catalog.Shop.Test:80", "/items").body());
      assertEquals("accounts proto=null\n", http.get("accounts.svc.test", "/").body());
      assertEquals(404, http.get("unknown.shop.test", "/").status());

      HttpProbe.Response empty = http.get("reports.svc.test", "/");
      assertEquals(503, empty.status());
      assertEquals("no healthy instance of this service\n", empty.body());
      assertEquals(503, http.get("legacy.svc.test", "/").status(), "only instance in maint");

      HttpProbe stats = HttpProbe.plain(statsPort);
      assertEquals(401, stats.get("lb", "/stats").status());
      assertEquals(401, stats.get("lb", "/metrics").status());
      assertEquals(401, stats.basicAuth(USER, "wrong").get("lb", "/stats").status());
      assertEquals(401, stats.basicAuth(USER, "").get("lb", "/metrics").status());

      HttpProbe authorized = stats.basicAuth(USER, PASSWORD);
      HttpProbe.Response page = authorized.get("lb", "/stats");
      assertEquals(200, page.status());
      assertTrue(page.body().contains("orders"), "stats page lists the backends");
      HttpProbe.Response metrics = authorized.get("lb", "/metrics");
      assertEquals(200, metrics.status());
      assertTrue(metrics.body().contains("haproxy_backend_status{proxy=\"orders\""), "Prometheus exporter output");
      assertEquals(404, authorized.get("lb", "/other").status());

      assertFalse(haproxy.log().contains(PASSWORD), "haproxy never prints the password");
    }
  }

  /** Unset, or set but empty: no user and password opens /stats or /metrics. */
  @ParameterizedTest(name = "password {0}")
  @ValueSource(strings = {"unset", "empty"})
  void withoutAPasswordInHaproxysEnvironmentEverythingIsRefused(String how) throws Exception {
    Map<String, String> env = how.equals("unset")
        ? Map.of("HAPROXY_STATS_USER", USER)
        : Map.of("HAPROXY_STATS_USER", USER, "HAPROXY_STATS_PASSWORD", "");
    try (HaproxyInstance haproxy = start(env)) {
      HttpProbe stats = HttpProbe.plain(statsPort);
      assertEquals(401, stats.get("lb", "/stats").status());
      assertEquals(401, stats.basicAuth(USER, "").get("lb", "/stats").status());
      assertEquals(401, stats.basicAuth(USER, "").get("lb", "/metrics").status());
      assertEquals(401, stats.basicAuth("", "").get("lb", "/metrics").status());
      assertEquals("orders proto=null\n", HttpProbe.plain(httpPort).get("orders.shop.test", "/").body());
    }
  }

  private HaproxyInstance start(Map<String, String> env) throws Exception {
    Inventory inventory = new Inventory(List.of(
        new Service("orders", "cloudmap", List.of(Server.of("task-o1", LOOPBACK, orders.port())),
            Map.of("host", "orders.shop.test")),
        new Service("catalog", "cloudmap", List.of(
            new Server("task-c1", null, LOOPBACK, catalog.port(), 100, ServerState.READY, "",
                Map.of("host", "catalog.shop.test")))),
        new Service("accounts", "cloudmap", List.of(Server.of("task-a1", LOOPBACK, accounts.port()))),
        new Service("reports", "cloudmap", List.of()),
        new Service("legacy", "cloudmap",
            List.of(Server.of("task-l1", LOOPBACK, accounts.port()).withState(ServerState.MAINT)))));
    HaproxyInstance haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir, 2), env, layout -> {
      Map<String, String> vars = new HashMap<>(TemplateFixture.unprivileged(layout));
      vars.put("domain", "svc.test");
      vars.put("bind", "127.0.0.1:" + layout.ports().get(0));
      vars.put("stats_bind", "127.0.0.1:" + layout.ports().get(1));
      String cfg = TemplateEngine.load("builtin:cloudmap-hosts").render(inventory, new TreeMap<>(vars)).text();
      assertFalse(cfg.contains(PASSWORD));
      Files.writeString(layout.configFile(), cfg);
    });
    httpPort = haproxy.layout().ports().get(0);
    statsPort = haproxy.layout().ports().get(1);
    return haproxy;
  }
}
