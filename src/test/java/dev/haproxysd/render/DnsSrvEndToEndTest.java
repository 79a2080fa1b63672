package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Service;
import java.io.IOException;
import dev.haproxysd.testing.HaproxyInstance;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * builtin:dns-srv through a real haproxy on 127.0.0.1 and an in-process DNS server: the config names the service
 * only, haproxy fills the server-template slots from the SRV answer and routes by Host to both instances.
 */
class DnsSrvEndToEndTest {
  private static final Duration RESOLVE_LIMIT = Duration.ofSeconds(30);

  @TempDir Path dir;

  @Test
  void fillsServerTemplateSlotsFromSrvRecords() throws Exception {
    InetAddress first = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
    InetAddress second = InetAddress.getByAddress(new byte[] {127, 0, 0, 2});
    try (TestBackend one = TestBackend.on("api-1", first);
        TestBackend two = TestBackend.on("api-2", second);
        SrvDnsServer dns = new SrvDnsServer(Map.of("_api._tcp.internal.test", List.of(
            new SrvDnsServer.Srv("task-1.api.internal.test", first, one.port(), 10),
            new SrvDnsServer.Srv("task-2.api.internal.test", second, two.port(), 10))))) {
      // the inventory names the service; its instances come from DNS at run time
      Inventory inventory = new Inventory(List.of(new Service("api", "cloudmap", List.of())));
      try (HaproxyInstance haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir), Map.of(), layout -> {
        Map<String, String> vars = new HashMap<>(TemplateFixture.unprivileged(layout));
        vars.put("bind", "127.0.0.1:" + layout.port());
        vars.put("namespace", "internal.test");
        vars.put("domain", "svc.test");
        vars.put("resolver", "127.0.0.1:" + dns.port());
        vars.put("slots", "3");
        String cfg = TemplateEngine.load("builtin:dns-srv").render(inventory, new TreeMap<>(vars)).text();
        assertTrue(cfg.contains("server-template api 3 _api._tcp.internal.test resolvers haproxy-sd"), cfg);
        Files.writeString(layout.configFile(), cfg);
      })) {
        HttpProbe http = HttpProbe.plain(haproxy.layout().port());
        awaitBothInstances(http, one, two, haproxy);
        assertTrue(dns.queries() > 0);
        assertEquals(404, http.get("other.svc.test", "/").status());
      }
    }
  }

  /** Until DNS has answered, the slots are in maintenance and the service answers 503. */
  private static void awaitBothInstances(HttpProbe http, TestBackend one, TestBackend two, HaproxyInstance haproxy)
      throws IOException, InterruptedException {
    Instant deadline = Instant.now().plus(RESOLVE_LIMIT);
    while (one.requests() == 0 || two.requests() == 0) {
      HttpProbe.Response response = http.get("api.svc.test", "/");
      assertTrue(response.status() == 200 || response.status() == 503, () -> response + "\n" + haproxy.log());
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("haproxy did not reach both SRV targets within " + RESOLVE_LIMIT
            + " (requests: " + one.requests() + ", " + two.requests() + ")\n" + haproxy.log());
      }
      if (response.status() == 503) {
        Thread.sleep(100);
      }
    }
  }
}
