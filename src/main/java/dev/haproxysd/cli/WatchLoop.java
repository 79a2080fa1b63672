package dev.haproxysd.cli;

import dev.haproxysd.model.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.LongUnaryOperator;

/**
 * {@code apply --watch}'s schedule: runs a cycle at once and then every interval, start to start (a long cycle is
 * followed at once by the next, never overlapped), each start delayed by its own random jitter. After consecutive
 * cycles that failed on AWS the interval doubles, up to {@link #MAX_BACKOFF} times; a cycle that did not fail on
 * AWS brings it back.
 *
 * <p>{@link #stop} (SIGTERM, SIGINT) ends the loop at once while it waits, or after the cycle it is in; a cycle is
 * never interrupted, so it never leaves a torn file or a held lock. {@link #hangUp} (SIGHUP) has {@code reload} run
 * before the next cycle. Both may be called from any thread.
 */
final class WatchLoop {
  /** The wait after consecutive AWS failures grows to at most this many intervals. */
  static final int MAX_BACKOFF = 10;
  /** Exit codes of a cycle that failed on AWS: discovery, a lifecycle call, S3. */
  static final Set<Integer> AWS_FAILURES = Set.of(ExitCode.DISCOVERY.code, ExitCode.LIFECYCLE_FAILED.code,
      ExitCode.S3_FAILED.code);

  /** One apply run; returns its exit code and never throws. */
  interface Cycle {
    int run();
  }

  /**
   * A finished cycle, as {@code watch.json} records it.
   *
   * @param number 1 for the first cycle
   * @param awsFailuresInARow consecutive cycles up to this one that failed on AWS
   * @param nextAt when the next cycle starts (its jitter included)
   */
  record Finished(long number, Instant startedAt, Instant finishedAt, int exitCode, int awsFailuresInARow,
      Instant nextAt) {}

  private final Duration interval;
  private final Duration jitter;
  private final Clock clock;
  private final LongUnaryOperator random;
  private final Runnable reload;
  private final Cycle cycle;
  private final Consumer<Finished> finished;
  private Thread looping;
  private boolean busy;
  private boolean stopping;
  private boolean hungUp;

  /**
   * @param random a random number in {@code [0, bound)} for a bound in nanoseconds (the jitter)
   * @param reload re-reads the settings; runs before the cycle after a {@link #hangUp}
   * @param finished told after every cycle
   */
  WatchLoop(Duration interval, Duration jitter, Clock clock, LongUnaryOperator random, Runnable reload, Cycle cycle,
      Consumer<Finished> finished) {
    if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("interval (" + interval + ") must be at least 1s");
    }
    this.interval = interval;
    this.jitter = jitter;
    this.clock = clock;
    this.random = random;
    this.reload = reload;
    this.cycle = cycle;
    this.finished = finished;
  }

  /** Runs cycles until {@link #stop}; returns 0, the exit code of a watch that was asked to stop. */
  int run() {
    synchronized (this) {
      looping = Thread.currentThread();
    }
    int awsFailures = 0;
    for (long number = 1; ; number++) {
      boolean reloadNow;
      synchronized (this) {
        if (stopping) {
          return ExitCode.OK.code;
        }
        busy = true;
        reloadNow = hungUp;
        hungUp = false;
      }
      if (reloadNow) {
        reload.run();
      }
      long start = clock.nanoTime();
      Instant startedAt = clock.now();
      int code = cycle.run();
      awsFailures = AWS_FAILURES.contains(code) ? awsFailures + 1 : 0;
      Duration wait = Duration.ofNanos(Math.max(0, start + waitAfter(awsFailures).toNanos() - clock.nanoTime()))
          .plusNanos(jitter.isZero() ? 0 : random.applyAsLong(jitter.toNanos()));
      Instant finishedAt = clock.now();
      finished.accept(new Finished(number, startedAt, finishedAt, code, awsFailures, finishedAt.plus(wait)));
      synchronized (this) {
        busy = false;
        if (stopping) {
          return ExitCode.OK.code;
        }
        Thread.interrupted(); // a stale interrupt must not cut the wait short
      }
      try {
        clock.sleep(wait);
      } catch (InterruptedException e) {
        // stop() woke the wait; the loop's head sees why
      }
    }
  }

  /** The interval, doubled for each AWS failure in a row, at most {@link #MAX_BACKOFF} intervals. */
  Duration waitAfter(int awsFailuresInARow) {
    long factor = awsFailuresInARow >= 4 ? MAX_BACKOFF : Math.min(MAX_BACKOFF, 1L << awsFailuresInARow);
    return interval.multipliedBy(factor);
  }

  /** Ends the loop: at once while it waits, after the current cycle while one runs. */
  synchronized void stop() {
    stopping = true;
    if (!busy && looping != null) {
      looping.interrupt();
    }
  }

  /** Whether {@link #stop} was called: a cycle may cut a wait of its own short. */
  synchronized boolean stopRequested() {
    return stopping;
  }

  /** Re-read the settings before the next cycle (which starts on schedule). */
  synchronized void hangUp() {
    hungUp = true;
  }
}
