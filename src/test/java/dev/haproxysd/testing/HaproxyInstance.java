package dev.haproxysd.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.haproxy.CheckResult;
import dev.haproxysd.haproxy.ConfigCheck;
import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.haproxy.ProcessRunner;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The one harness for a real master-worker haproxy in tests: {@code haproxy -W -S DIR/master.sock -f CONFIG}, in
 * the foreground (not daemonized), everything in a temp dir, on free 127.0.0.1 ports. Close it in
 * {@code @AfterEach}.
 *
 * <pre>{@code
 * HaproxyInstance haproxy = HaproxyInstance.start(HaproxyInstance.layout(tempDir), Map.of(),
 *     layout -> Files.writeString(layout.configFile(), configFor(layout)));  // rewritten if a port was taken
 * ProcStatus proc = haproxy.showProc();                                     // master CLI
 * String info = haproxy.stats("show info");                                 // stats socket (runtime API)
 * }</pre>
 *
 * <p>A port picked free can be taken by another process before haproxy binds it; {@link #start(Layout, Map,
 * ConfigWriter)} then picks new ports, rewrites the config and starts again, so a collision cannot fail a test.
 * It observes haproxy with its own minimal socket client, independent of the production code under test.
 */
public final class HaproxyInstance implements AutoCloseable {
  /** haproxy as the product finds it: the first {@code haproxy} on PATH. */
  public static final String BINARY = onPath("haproxy");
  private static final Duration STARTUP = Duration.ofSeconds(30);
  private static final int BIND_ATTEMPTS = 5;

  /**
   * Where everything lives. {@link #templateVars} are the {@code --var} arguments the test template
   * ({@code test-haproxy.cfg.ftl}) needs; {@link #ports} are free ports for the config's binds.
   */
  public record Layout(Path dir, Path configFile, Path masterSocket, Path statsSocket, Path pidFile,
      List<Integer> ports) {
    public int port() {
      return ports.get(0);
    }

    public List<String> templateVars() {
      return List.of("--var", "port=" + port(), "--var", "stats_socket=" + statsSocket, "--var",
          "pidfile=" + pidFile);
    }

    /** The arguments for the slots template ({@code test-slots.cfg.ftl}) with {@code slots} slots a backend. */
    public List<String> slotsTemplateArgs(int slots, Path serverStateFile) {
      List<String> args = new ArrayList<>(List.of("--template", slotsTemplate().toString(), "--slots",
          String.valueOf(slots)));
      args.addAll(templateVars());
      args.addAll(List.of("--var", "server_state_file=" + serverStateFile));
      return args;
    }

    public Layout withConfigFile(Path file) {
      return new Layout(dir, file, masterSocket, statsSocket, pidFile, ports);
    }

    Layout withFreshPorts() {
      return new Layout(dir, configFile, masterSocket, statsSocket, pidFile, FreePort.pick(ports.size()));
    }
  }

  /** Writes the config for a layout (again, with other ports, when a port was taken). */
  @FunctionalInterface
  public interface ConfigWriter {
    void write(Layout layout) throws IOException;
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
    return layout(dir, 1);
  }

  /** Paths in {@code dir} and {@code ports} ports that were free just now. */
  public static Layout layout(Path dir, int ports) {
    return new Layout(dir, dir.resolve("haproxy.cfg"), dir.resolve("master.sock"), dir.resolve("stats.sock"),
        dir.resolve("haproxy.pid"), FreePort.pick(ports));
  }

  /**
   * Writes the config for {@code layout} and starts haproxy on it; when haproxy cannot bind a port (another
   * process took it meanwhile), does both again on fresh ports. The started instance's {@link #layout()} says
   * which ports it got.
   */
  public static HaproxyInstance start(Layout layout, Map<String, String> env, ConfigWriter config) {
    Layout attempt = layout;
    for (int i = 1; ; i++) {
      try {
        config.write(attempt);
        return start(attempt, env);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (PortTaken e) {
        if (i == BIND_ATTEMPTS) {
          throw e;
        }
        attempt = attempt.withFreshPorts();
      }
    }
  }

  /** The path of the test template in the test resources. */
  public static Path testTemplate() {
    return resource("test-haproxy.cfg.ftl");
  }

  /** The test template with server slots (for runtime-API tests run with {@code --slots}). */
  public static Path slotsTemplate() {
    return resource("test-slots.cfg.ftl");
  }

  private static Path resource(String name) {
    try {
      return Path.of(HaproxyInstance.class.getResource(name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Starts haproxy on the config already at {@code layout.configFile()}, waits until the master reports a worker. */
  public static HaproxyInstance start(Layout layout) {
    return start(layout, Map.of());
  }

  /**
   * {@link #start(Layout)} with {@code env} as haproxy's {@code HAPROXY_*} environment (e.g. a stats password it
   * expands): none of the developer's shell.
   */
  public static HaproxyInstance start(Layout layout, Map<String, String> env) {
    Path logFile = layout.dir().resolve("haproxy.log");
    try {
      ProcessBuilder builder = new ProcessBuilder(BINARY, "-W", "-db", "-S", layout.masterSocket().toString(), "-f",
          layout.configFile().toString())
          .redirectErrorStream(true).redirectOutput(logFile.toFile())
          .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().keySet().removeIf(k -> k.startsWith("HAPROXY_"));
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
        String log = log();
        if (log.contains("cannot bind socket") || log.contains("Address already in use")) {
          throw new PortTaken(layout.ports() + ": " + log);
        }
        throw new IllegalStateException("haproxy exited " + process.exitValue() + ": " + log);
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
    return parseShowProc(master("show proc"));
  }

  /**
   * {@code show proc} read by the harness itself, not by the production parser under test: the master line ({@code
   * PID master RELOADS [failed: N] UPTIME VERSION}) and every worker line, current and (after {@code # old workers})
   * old; the result is only carried in the production record.
   */
  static ProcStatus parseShowProc(String answer) {
    Integer master = null;
    int reloads = 0;
    int failed = 0;
    List<Integer> workers = new ArrayList<>();
    List<Integer> oldWorkers = new ArrayList<>();
    boolean old = false;
    for (String line : answer.split("\n")) {
      String[] fields = line.strip().split("\\s+");
      if (line.startsWith("#")) {
        old = line.strip().equals("# old workers");
        continue;
      }
      if (fields.length < 3 || !fields[0].chars().allMatch(Character::isDigit)) {
        continue;
      }
      if (fields[1].equals("master")) {
        master = Integer.valueOf(fields[0]);
        reloads = Integer.parseInt(fields[2]);
        int at = line.indexOf("[failed:");
        failed = Integer.parseInt(line.substring(at + "[failed:".length(), line.indexOf(']', at)).strip());
      } else if (fields[1].equals("worker")) {
        (old ? oldWorkers : workers).add(Integer.valueOf(fields[0]));
      }
    }
    if (master == null) {
      throw new IllegalStateException("'show proc' has no master line: " + answer);
    }
    return new ProcStatus(master, reloads, failed, workers, oldWorkers);
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

  /**
   * Asserts haproxy was not reloaded since {@code before}: the same master, reload and failure counters, and no new
   * worker. Old workers of an earlier reload may finish their connections and exit meanwhile: that is no reload.
   */
  public void assertNoReloadSince(ProcStatus before, String message) {
    ProcStatus now = showProc();
    String detail = message + ": " + before + " -> " + now;
    assertEquals(before.masterPid(), now.masterPid(), detail);
    assertEquals(before.reloads(), now.reloads(), detail);
    assertEquals(before.failed(), now.failed(), detail);
    assertTrue(!now.workerPids().isEmpty() && before.workerPids().containsAll(now.workerPids()), detail);
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

  /** haproxy could not bind a port of its layout. */
  static final class PortTaken extends IllegalStateException {
    PortTaken(String message) {
      super(message);
    }
  }

  /** {@code haproxy -c} on {@code config} through the production checker, with {@code env} as haproxy's. */
  public static CheckResult check(Path config, Map<String, String> env) {
    ProcessRunner withEnv = (command, timeout) -> {
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().keySet().removeIf(k -> k.startsWith("HAPROXY_"));
      builder.environment().putAll(env);
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Path out = Files.createTempFile(config.getParent(), "haproxy-c-", ".out");
      try {
        Process p = builder.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IOException("haproxy -c did not finish");
        }
        return new ProcessRunner.Result(p.exitValue(), "", Files.readString(out));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      } finally {
        Files.deleteIfExists(out);
      }
    };
    return ConfigCheck.haproxy(BINARY, withEnv).check(config, config.getFileName().toString());
  }

  /** The first executable {@code name} in a PATH directory, as {@link ProcessBuilder} would find it. */
  static String onPath(String name) {
    String path = System.getenv("PATH");
    for (String dir : (path == null ? "" : path).split(java.io.File.pathSeparator)) {
      Path candidate = Path.of(dir.isEmpty() ? "." : dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    return name;
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
