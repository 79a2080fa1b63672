package dev.haproxysd.cli;

import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.testing.FakeClock;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * {@code packaging/bench/watch.sh}'s measuring end: {@code WatchBench CYCLES ARGS...} runs {@code haproxy-sd ARGS}
 * (an {@code apply --watch}) for CYCLES cycles back to back on a fake clock — each cycle the real apply with its
 * real AWS calls, only the wait between cycles skipped — and prints the process's CPU per cycle after cycle 100
 * and its RSS and open file descriptors at cycle 100 and at the last, one {@code key value} a line on stdout.
 */
public final class WatchBench {
  private static final int WARM = 100;

  private WatchBench() {}

  public static void main(String[] args) {
    int cycles = Integer.parseInt(args[0]);
    long[] warm = new long[3];
    long[] end = new long[3];
    WatchLoop[] loop = new WatchLoop[1];
    WatchObserver observer = new WatchObserver() {
      @Override
      public void started(WatchLoop started) {
        loop[0] = started;
      }

      @Override
      public void finished(WatchLoop.Finished cycle) {
        if (cycle.exitCode() != 0) {
          throw new IllegalStateException("cycle " + cycle.number() + " exited " + cycle.exitCode());
        }
        if (cycle.number() == WARM) {
          sample(warm);
        } else if (cycle.number() == cycles) {
          sample(end);
          loop[0].stop();
        }
      }
    };
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    int code = Main.run(System.in, out, err, System.getenv(), RunObserver.NONE, new FakeClock(), observer,
        Arrays.copyOfRange(args, 1, args.length));
    out.printf("exit %d%n", code);
    out.printf("cpu_ms_per_cycle %.2f%n", (end[0] - warm[0]) / 1e6 / (cycles - WARM));
    out.printf("rss_kb_at_%d %d%nrss_kb_at_%d %d%n", WARM, warm[1], cycles, end[1]);
    out.printf("fds_at_%d %d%nfds_at_%d %d%n", WARM, warm[2], cycles, end[2]);
    System.exit(code);
  }

  private static void sample(long[] into) {
    into[0] = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
    try {
      into[1] = Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS:"))
          .mapToLong(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(-1);
      try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
        into[2] = fds.count();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
