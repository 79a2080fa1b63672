package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * builtin:asg-http through a real haproxy on 127.0.0.1: host rules reach the right group, the rest goes to the
 * default backend, and drained or maintenance servers get no new requests.
 */
class AsgHttpEndToEndTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path dir;

  @Test
  void routesByHostAndKeepsDrainedAndMaintServersOutOfRotation() throws Exception {
    try (TestBackend web1 = new TestBackend("web-1");
        TestBackend web2 = new TestBackend("web-2");
        TestBackend draining = new TestBackend("web-draining");
        TestBackend maint = new TestBackend("web-maint");
        TestBackend api = new TestBackend("api-1")) {
      Inventory inventory = new Inventory(List.of(
          new Service("web", "asg", List.of(
              Server.of("i-web1", LOOPBACK, web1.port()),
              Server.of("i-web2", LOOPBACK, web2.port()),
              Server.of("i-web3", LOOPBACK, draining.port()).withState(ServerState.DRAIN),
              Server.of("i-web4", LOOPBACK, maint.port()).withState(ServerState.MAINT))),
          new Service("api", "asg", List.of(Server.of("i-api1", LOOPBACK, api.port())),
              Map.of("haproxy-sd:host", "api.example.test"))));
      try (HaproxyInstance haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir), Map.of(), layout -> {
        Map<String, String> vars = new HashMap<>(TemplateFixture.unprivileged(layout));
        vars.put("bind", "127.0.0.1:" + layout.port());
        vars.put("default_backend", "web");
        String cfg = TemplateEngine.load("builtin:asg-http").render(inventory, new TreeMap<>(vars)).text();
        Files.writeString(layout.configFile(), cfg);
      })) {
        HttpProbe http = HttpProbe.plain(haproxy.layout().port());
        assertEquals("api-1 proto=null\n", http.get("api.example.test", "/v1").body());
        assertEquals("api-1 proto=null\n", http.get("API.example.test:8080", "/v1").body());
        for (int i = 0; i < 8; i++) {
          assertEquals(200, http.get("www.example.test", "/").status());
        }
        assertEquals(4, web1.requests(), "round robin over the two ready servers");
        assertEquals(4, web2.requests());
        assertEquals(0, draining.requests(), "drain: weight 0, no new requests");
        assertEquals(0, maint.requests(), "maint: disabled");
      }
    }
  }
}
