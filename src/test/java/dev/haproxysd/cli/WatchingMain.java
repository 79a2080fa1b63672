package dev.haproxysd.cli;

import dev.haproxysd.model.Clock;
import dev.haproxysd.pipeline.RunObserver;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code haproxy-sd} as its own JVM for the signal tests of {@code apply --watch}: {@code WatchingMain PHASE
 * ARGS...} prints {@code haproxy-sd: test: cycle N exit C} on stderr after each cycle, and when a cycle reaches
 * PHASE ({@code none}: never) prints {@code haproxy-sd: test: paused at PHASE} and holds the cycle there until the
 * watch is asked to stop (at most {@link #LIMIT}), so a signal arrives mid-install by construction.
 */
final class WatchingMain {
  static final Duration LIMIT = Duration.ofMinutes(2);

  private WatchingMain() {}

  public static void main(String[] args) {
    String phase = args[0];
    WatchLoop[] loop = new WatchLoop[1];
    RunObserver pause = new RunObserver() {
      @Override
      public void reached(Phase reached) {
        if (!reached.id().equals(phase)) {
          return;
        }
        System.err.println("haproxy-sd: test: paused at " + phase);
        System.err.flush();
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!loop[0].stopRequested() && System.nanoTime() - deadline < 0) {
          try {
            Thread.sleep(10);
          } catch (InterruptedException e) {
            throw new AssertionError("a cycle must never be interrupted", e);
          }
        }
      }
    };
    WatchObserver cycles = new WatchObserver() {
      @Override
      public void started(WatchLoop started) {
        loop[0] = started;
      }

      @Override
      public void finished(WatchLoop.Finished cycle) {
        System.err.println("haproxy-sd: test: cycle " + cycle.number() + " exit " + cycle.exitCode());
        System.err.flush();
      }
    };
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    int code = Main.run(System.in, out, err, System.getenv(), pause, Clock.SYSTEM, cycles, rest);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
