package dev.haproxysd.render;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP server on 127.0.0.1 and a free port that answers every request with {@code NAME proto=X} (X: the
 * X-Forwarded-Proto it received) and counts the requests that were not health checks.
 */
final class TestBackend implements AutoCloseable {
  private final String name;
  private final HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  TestBackend(String name) throws IOException {
    this(name, InetAddress.getLoopbackAddress());
  }

  private TestBackend(String name, InetAddress address) throws IOException {
    this.name = name;
    this.server = HttpServer.create(new InetSocketAddress(address, 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A backend on another loopback address, e.g. 127.0.0.2. */
  static TestBackend on(String name, InetAddress address) throws IOException {
    return new TestBackend(name, address);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Requests other than haproxy's health checks (which carry no Host header, HTTP/1.0). */
  int requests() {
    return requests.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    if (exchange.getRequestHeaders().getFirst("X-Forwarded-For") != null) {
      requests.incrementAndGet();
    }
    String proto = exchange.getRequestHeaders().getFirst("X-Forwarded-Proto");
    byte[] body = (name + " proto=" + proto + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
