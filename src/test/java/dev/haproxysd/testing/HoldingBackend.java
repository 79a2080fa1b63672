package dev.haproxysd.testing;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A backend for drain tests: a JDK HttpServer that answers with its name; GET /hold on the one named B waits until
 * {@link #release} (a request held open through haproxy).
 */
public final class HoldingBackend implements AutoCloseable {
  private final HttpServer server;
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile CountDownLatch arrived = new CountDownLatch(1);

  private HoldingBackend(HttpServer server) {
    this.server = server;
  }

  public static HoldingBackend start(String name) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
      HoldingBackend backend = new HoldingBackend(server);
      byte[] body = name.getBytes(StandardCharsets.UTF_8);
      server.createContext("/", exchange -> {
        exchange.getRequestBody().readAllBytes();
        if (exchange.getRequestURI().getPath().equals("/hold") && name.equals("B")) {
          backend.arrived.countDown();
          try {
            backend.release.await(60, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        exchange.close();
      });
      server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
      server.start();
      return backend;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /** True once a /hold request is waiting here; false when {@code response} was answered elsewhere first. */
  public boolean awaitHeld(CompletableFuture<String> response) throws InterruptedException {
    while (true) {
      if (arrived.await(20, TimeUnit.MILLISECONDS)) {
        return true;
      }
      if (response.isDone()) {
        return false;
      }
    }
  }

  public void release() {
    release.countDown();
  }

  @Override
  public void close() {
    release.countDown();
    server.stop(0);
  }
}
