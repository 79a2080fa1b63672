package dev.haproxysd.render;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real haproxy in master-worker mode, in the foreground, started by a test on a rendered config and stopped
 * (master first, then any worker left) when the test closes it. Its output goes to {@code haproxy.log} next to
 * the config, which failures quote.
 */
final class RunningHaproxy implements AutoCloseable {
  private static final Duration START_LIMIT = Duration.ofSeconds(30);

  private final Process process;
  private final Path log;

  private RunningHaproxy(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  /** Starts haproxy on {@code config} and returns once every port in {@code listening} accepts connections. */
  static RunningHaproxy start(Path config, Map<String, String> env, List<Integer> listening) throws IOException {
    Path log = config.resolveSibling("haproxy.log");
    ProcessBuilder builder = new ProcessBuilder(RealHaproxy.BINARY, "-W", "-db", "-f", config.toString());
    RealHaproxy.scrub(builder.environment()).putAll(env);
    builder.redirectErrorStream(true).redirectOutput(log.toFile());
    builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
    RunningHaproxy haproxy = new RunningHaproxy(builder.start(), log);
    try {
      haproxy.awaitListening(listening);
    } catch (IOException | RuntimeException e) {
      haproxy.close();
      throw e;
    }
    return haproxy;
  }

  String log() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  private void awaitListening(List<Integer> ports) throws IOException {
    Instant deadline = Instant.now().plus(START_LIMIT);
    for (int port : ports) {
      while (!accepts(port)) {
        if (!process.isAlive()) {
          throw new IOException("haproxy exited with " + process.exitValue() + ":\n" + log());
        }
        if (Instant.now().isAfter(deadline)) {
          throw new IOException("haproxy did not listen on port " + port + " within " + START_LIMIT + ":\n" + log());
        }
        sleep(50);
      }
    }
  }

  private static boolean accepts(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    List<ProcessHandle> workers = process.descendants().toList();
    process.destroy(); // SIGTERM: the master stops its workers
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    workers.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }
}
