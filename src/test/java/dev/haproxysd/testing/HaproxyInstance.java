package dev.haproxysd.testing;

import dev.haproxysd.haproxy.ProcStatus;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real master-worker haproxy for tests: {@code haproxy -W -S DIR/master.sock -f CONFIG}, in the foreground (not
 * daemonized), everything in a temp dir, on a free 127.0.0.1 port. Close it in {@code @AfterEach}.
 *
 * <pre>{@code
 * HaproxyInstance.Layout layout = HaproxyInstance.layout(tempDir);   // paths + a free port
 * Files.writeString(layout.configFile(), config);                     // e.g. rendered with layout.templateVars()
 * try (HaproxyInstance haproxy = HaproxyInstance.start(layout)) {
 *   ProcStatus proc = haproxy.showProc();                              // master CLI
 *   String info = haproxy.stats("show info");                          // stats socket (runtime API)
 * }
 * }</pre>
 *
 * <p>It observes haproxy with its own minimal socket client, independent of the production code under test.
 */
public final class HaproxyInstance implements AutoCloseable {
  public static final String BINARY = "/usr/sbin/haproxy";
  private static final Duration STARTUP = Duration.ofSeconds(30);

  /**
   * Where everything lives. {@link #templateVars} are the {@code --var} arguments the test template
   * ({@code test-haproxy.cfg.ftl}) needs.
   */
  public record Layout(Path dir, Path configFile, Path masterSocket, Path statsSocket, Path pidFile, int port) {
    public List<String> templateVars() {
      return List.of("--var", "port=" + port, "--var", "stats_socket=" + statsSocket, "--var",
          "pidfile=" + pidFile);
    }
  }

  private final Layout layout;
  private final Process process;
  private final Path logFile;

  private HaproxyInstance(Layout layout, Process process, Path logFile) {
    this.layout = layout;
    this.process = process;
    this.logFile = logFile;
  }

  /** Paths in {@code dir} and a port that was free just now. */
  public static Layout layout(Path dir) {
    return new Layout(dir, dir.resolve("haproxy.cfg"), dir.resolve("master.sock"), dir.resolve("stats.sock"),
        dir.resolve("haproxy.pid"), FreePort.pick());
  }

  /** The path of the test template in the test resources. */
  public static Path testTemplate() {
    try {
      return Path.of(HaproxyInstance.class.getResource("test-haproxy.cfg.ftl").toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts haproxy on {@code layout.configFile()} and waits until the master reports a worker. */
  public static HaproxyInstance start(Layout layout) {
    return start(layout, java.util.Map.of());
  }

  /** {@link #start(Layout)} with {@code env} added to haproxy's environment (e.g. a stats password it expands). */
  public static HaproxyInstance start(Layout layout, java.util.Map<String, String> env) {
    Path logFile = layout.dir().resolve("haproxy.log");
    try {
      ProcessBuilder builder = new ProcessBuilder(BINARY, "-W", "-S", layout.masterSocket().toString(), "-f",
          layout.configFile().toString())
          .redirectErrorStream(true).redirectOutput(logFile.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(env);
      Process process = builder.start();
      HaproxyInstance instance = new HaproxyInstance(layout, process, logFile);
      instance.awaitWorker();
      return instance;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private void awaitWorker() {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException("haproxy exited " + process.exitValue() + ": " + log());
      }
      try {
        if (!showProc().workerPids().isEmpty()) {
          return;
        }
      } catch (RuntimeException e) {
        // not listening yet
      }
      sleep(50);
    }
    close();
    throw new IllegalStateException("haproxy did not start a worker within " + STARTUP + ": " + log());
  }

  public Layout layout() {
    return layout;
  }

  public long masterPid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The master CLI's {@code show proc}, retried while the master re-executes itself during a reload. */
  public ProcStatus showProc() {
    return ProcStatus.parse(master("show proc"));
  }

  public List<Integer> workerPids() {
    return showProc().workerPids();
  }

  /** One master CLI command, raw answer. */
  public String master(String command) {
    return command(layout.masterSocket(), command);
  }

  /** One stats-socket (runtime API) command, raw answer. */
  public String stats(String command) {
    return command(layout.statsSocket(), command);
  }

  /** What haproxy printed (NOTICE/WARNING/ALERT lines). */
  public String log() {
    try {
      return Files.readString(logFile);
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Waits until the master's reload counter passed {@code reloads} (a reload sent by someone else finished). */
  public ProcStatus awaitReloadsAbove(int reloads) {
    long deadline = System.nanoTime() + STARTUP.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        ProcStatus status = showProc();
        if (status.reloads() > reloads) {
          return status;
        }
      } catch (RuntimeException e) {
        // re-executing
      }
      sleep(50);
    }
    throw new IllegalStateException("no reload within " + STARTUP + ": " + log());
  }

  private static String command(Path socket, String command) {
    IOException last = null;
    for (int attempt = 0; attempt < 100; attempt++) {
      try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel.connect(UnixDomainSocketAddress.of(socket));
        channel.write(ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8)));
        channel.shutdownOutput();
        InputStream in = Channels.newInputStream(channel);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toString(StandardCharsets.UTF_8);
      } catch (IOException e) {
        last = e;
        sleep(50);
      }
    }
    throw new UncheckedIOException(socket + ": " + command, last);
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** SIGTERM to the master (it stops its workers), then SIGKILL to whatever is left of the tree. */
  @Override
  public void close() {
    List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ProcessHandle child : tree) {
      child.destroyForcibly();
    }
  }
}
