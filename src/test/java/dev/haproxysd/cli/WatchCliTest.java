package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Clock;
import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.FakeClock;
import dev.haproxysd.testing.Fault;
import dev.haproxysd.testing.HaproxyInstance;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --watch} in-process against the fake AWS endpoint (haproxy checks every candidate): a scale change
 * converges without a new process, a burst of AWS errors keeps the process and the config and backs off, a one-shot
 * apply interleaves, many cycles leave no threads, descriptors or heap behind, and credentials that expire every
 * few seconds keep working. On a fake clock the loop never waits; each test stops it through {@link WatchObserver}.
 */
class WatchCliTest {
  @TempDir Path dir;
  @AutoClose FakeAws aws = FakeAws.start();
  private final FakeClock clock = new FakeClock();
  private HaproxyInstance.Layout layout;
  private Path state;
  private Path metrics;

  @BeforeEach
  void oneInstance() {
    aws.group("web").tag("HAProxy:Service:Port", "8080");
    aws.asgInstance("web", "i-a", "InService", "10.0.0.1");
    layout = HaproxyInstance.layout(dir);
    state = dir.resolve("state");
    metrics = dir.resolve("haproxy_sd.prom");
  }

  @Test
  @Timeout(120)
  void aScaleChangeConverges_aBurstOfAwsErrorsKeepsTheProcessAndBacksOff_thenRecovers() throws IOException {
    List<Integer> codes = new ArrayList<>();
    List<String> configs = new ArrayList<>();
    Cli.Result watch = watch(clock, (loop, cycle) -> {
      codes.add(cycle.exitCode());
      configs.add(read(layout.configFile()));
      switch ((int) cycle.number()) {
        case 1 -> aws.asgInstance("web", "i-b", "InService", "10.0.0.2");
        case 2 -> aws.inject(Fault.on("DescribeAutoScalingGroups").times(9).serverError()); // 3 attempts a call
        case 6 -> loop.stop();
        default -> { }
      }
    }, "--watch", "1s", "--metrics-file", metrics.toString());

    assertEquals(0, watch.code(), watch.err());
    assertEquals(List.of(0, 0, 10, 10, 10, 0), codes);
    assertFalse(configs.get(0).contains("10.0.0.2"));
    assertTrue(configs.get(1).contains("10.0.0.1") && configs.get(1).contains("10.0.0.2"), "converged in cycle 2");
    assertEquals(List.of(configs.get(1)), configs.subList(2, 6).stream().distinct().toList(),
        "the failing cycles kept the config");
    assertEquals(List.of(1L, 1L, 2L, 4L, 8L), clock.sleeps().stream().map(Duration::toSeconds).toList(),
        "start to start every 1s, doubling after each AWS failure, back to 1s after the success");
    List<String> failures = watch.errLines().stream().filter(l -> l.startsWith("haproxy-sd: ")
        && !l.startsWith("haproxy-sd: warning") && l.contains("DescribeAutoScalingGroups")).toList();
    assertEquals(3, failures.size(), watch.err());
    String lastMetrics = Files.readString(metrics);
    assertTrue(lastMetrics.contains("haproxy_sd_last_run_exit_code 0\n"), lastMetrics);
    String recorded = Files.readString(state.resolve("watch.json"));
    assertTrue(recorded.contains("\"cycles\":6,") && recorded.contains("\"failuresInARow\":0,"), recorded);
    assertTrue(recorded.contains("\"pid\":" + ProcessHandle.current().pid() + ","), recorded);
  }

  @Test
  @Timeout(120)
  void aOneShotApplyBetweenCycles_takesTheLockTheWatchReleased() {
    List<Integer> oneShots = new ArrayList<>();
    Cli.Result watch = watch(clock, (loop, cycle) -> {
      if (cycle.number() == 2) {
        aws.asgInstance("web", "i-b", "InService", "10.0.0.2");
        Cli.Result oneShot = run(clock, WatchObserver.NONE, applyArgs());
        oneShots.add(oneShot.code());
      } else if (cycle.number() == 3) {
        loop.stop();
      }
    }, "--watch", "1s");
    assertEquals(0, watch.code(), watch.err());
    assertEquals(List.of(0), oneShots, "no 18: the lock is the cycle's only while it runs");
    assertTrue(read(layout.configFile()).contains("10.0.0.2"));
  }

  @Test
  @Timeout(300)
  void manyNoChangeCycles_leaveNoThreadsFileDescriptorsOrHeapBehind() {
    int cycles = 400;
    long[] at20 = new long[3];
    long[] atEnd = new long[3];
    Cli.Result watch = watch(clock, (loop, cycle) -> {
      if (cycle.number() == 100) {
        sample(at20);
      } else if (cycle.number() == cycles) {
        sample(atEnd);
        loop.stop();
      }
    }, "--watch", "1s", "--metrics-file", metrics.toString());
    assertEquals(0, watch.code(), watch.err());
    assertTrue(atEnd[0] <= at20[0], "threads: " + at20[0] + " after 100 cycles, " + atEnd[0] + " after " + cycles
        + " (other tests' threads may end meanwhile, none may be added)");
    assertTrue(atEnd[1] <= at20[1], "open file descriptors: " + at20[1] + " then " + atEnd[1]);
    assertTrue(atEnd[2] - at20[2] < 8L << 20, "heap after GC grew by " + (atEnd[2] - at20[2]) + " bytes");
    assertEquals(cycles, aws.requests("DescribeAutoScalingGroups"), "one Describe a cycle, no more");
  }

  @Test
  @Timeout(120)
  void assumedRoleCredentialsThatExpireEveryTwoSeconds_keepWorkingAcrossCycles() {
    aws.credentialLifetime(Duration.ofSeconds(2));
    List<Integer> codes = new ArrayList<>();
    long start = System.nanoTime();
    Cli.Result watch = watch(Clock.SYSTEM, (loop, cycle) -> {
      codes.add(cycle.exitCode());
      if (cycle.number() >= 4 && Duration.ofNanos(System.nanoTime() - start).compareTo(Duration.ofSeconds(5)) > 0) {
        loop.stop();
      }
    }, "--watch", "1s", "--role-arn", "arn:aws:iam::111122223333:role/haproxy-sd");
    assertEquals(0, watch.code(), watch.err());
    assertTrue(codes.size() >= 4, "cycles: " + codes);
    assertEquals(List.of(0), codes.stream().distinct().toList(), watch.err());
    assertTrue(aws.requests("AssumeRole") >= 3, "credentials refreshed: " + aws.requests("AssumeRole")
        + " AssumeRole calls in " + codes.size() + " cycles");
  }

  private static void sample(long[] into) {
    System.gc();
    into[0] = ManagementFactory.getThreadMXBean().getThreadCount();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      into[1] = fds.count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Runtime rt = Runtime.getRuntime();
    into[2] = rt.totalMemory() - rt.freeMemory();
  }

  private Cli.Result watch(Clock on, BiConsumer<WatchLoop, WatchLoop.Finished> each, String... extra) {
    WatchLoop[] loop = new WatchLoop[1];
    WatchObserver observer = new WatchObserver() {
      @Override
      public void started(WatchLoop started) {
        loop[0] = started;
      }

      @Override
      public void finished(WatchLoop.Finished cycle) {
        each.accept(loop[0], cycle);
      }
    };
    List<String> args = applyArgs();
    args.addAll(List.of(extra));
    return run(on, observer, args);
  }

  private List<String> applyArgs() {
    List<String> args = new ArrayList<>(List.of("apply", "-q", "--asg", "web", "--region", "us-east-1",
        "--endpoint-url", aws.endpoint().toString(), "--config-file", layout.configFile().toString(), "--state-dir",
        state.toString(), "--template", HaproxyInstance.testTemplate().toString()));
    args.addAll(layout.templateVars());
    return args;
  }

  private Cli.Result run(Clock on, WatchObserver observer, List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        Cli.hermetic(state), RunObserver.NONE, on, observer, args.toArray(String[]::new));
    return new Cli.Result(code, out.toString(), err.toString());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
