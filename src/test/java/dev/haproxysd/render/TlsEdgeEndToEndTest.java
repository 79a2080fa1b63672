package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
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

/** builtin:tls-edge through a real haproxy on 127.0.0.1: 301 to https except ACME, TLS with a real certificate. */
class TlsEdgeEndToEndTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @TempDir Path dir;

  @Test
  void redirectsPlainHttpServesTlsAndLetsTheAcmeChallengeThrough() throws Exception {
    SelfSignedCert cert = SelfSignedCert.create(dir);
    try (TestBackend shop = new TestBackend("shop");
        TestBackend blog = new TestBackend("blog");
        TestBackend certbot = new TestBackend("certbot")) {
      Inventory inventory = new Inventory(List.of(
          new Service("shop", "asg", List.of(Server.of("i-1", LOOPBACK, shop.port())),
              Map.of("haproxy-sd:host", "shop.example.test")),
          new Service("blog", "asg", List.of(Server.of("i-2", LOOPBACK, blog.port())),
              Map.of("haproxy-sd:host", "blog.example.test"))));
      try (HaproxyInstance haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir, 2), Map.of(), layout -> {
        Map<String, String> vars = new HashMap<>(TemplateFixture.unprivileged(layout));
        vars.put("bind", "127.0.0.1:" + layout.ports().get(0));
        vars.put("tls_bind", "127.0.0.1:" + layout.ports().get(1));
        vars.put("cert_dir", cert.certDir().toString());
        vars.put("acme_server", "127.0.0.1:" + certbot.port());
        vars.put("hsts_max_age", "63072000");
        vars.put("default_backend", "shop");
        String cfg = TemplateEngine.load("builtin:tls-edge").render(inventory, new TreeMap<>(vars)).text();
        Files.writeString(layout.configFile(), cfg);
      })) {
        int httpPort = haproxy.layout().ports().get(0);
        int tlsPort = haproxy.layout().ports().get(1);
        HttpProbe http = HttpProbe.plain(httpPort);
        HttpProbe.Response redirect = http.get("shop.example.test", "/cart?item=42");
        assertEquals(301, redirect.status());
        assertEquals("https://shop.example.test/cart?item=42", redirect.header("Location"));
        assertEquals(301, http.get("blog.example.test", "/.well-known/other").status());

        HttpProbe.Response challenge = http.get("shop.example.test", "/.well-known/acme-challenge/tok3n");
        assertEquals(200, challenge.status());
        assertEquals("certbot proto=http\n", challenge.body());

        HttpProbe https = HttpProbe.tls(tlsPort, cert.trustingIt());
        HttpProbe.Response secure = https.get("shop.example.test", "/cart");
        assertEquals(200, secure.status());
        assertEquals("shop proto=https\n", secure.body());
        assertEquals("max-age=63072000", secure.header("Strict-Transport-Security"));
        assertEquals("blog proto=https\n", https.get("blog.example.test", "/").body());
        assertEquals("shop proto=https\n", https.get("127.0.0.1", "/").body(), "default backend");
      }
    }
  }
}
