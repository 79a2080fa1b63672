package dev.haproxysd.testing;

import dev.haproxysd.model.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A clock that never waits: {@link #sleep} records the request and moves time forward. Wall and monotonic time are
 * separate, as on a real machine: {@link #jumpWall} (or a jump on every sleep, {@link #jumpWallOnEachSleep}) moves
 * only the wall clock, as NTP or an operator's {@code date -s} would.
 */
public final class FakeClock implements Clock {
  private Instant wall = Instant.parse("2026-01-01T00:00:00Z");
  private long monotonicNanos;
  private Duration wallJumpPerSleep = Duration.ZERO;
  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized Instant now() {
    return wall;
  }

  @Override
  public synchronized long nanoTime() {
    return monotonicNanos;
  }

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    advance(duration);
    wall = wall.plus(wallJumpPerSleep);
  }

  /** Real time passes: both clocks move. */
  public synchronized void advance(Duration duration) {
    wall = wall.plus(duration);
    monotonicNanos += duration.toNanos();
  }

  /** The wall clock is set forward (or back, when negative); no time passes. */
  public synchronized void jumpWall(Duration jump) {
    wall = wall.plus(jump);
  }

  /** From now on, every sleep also jumps the wall clock by {@code jump}. */
  public synchronized FakeClock jumpWallOnEachSleep(Duration jump) {
    wallJumpPerSleep = jump;
    return this;
  }

  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }

  /** The monotonic time slept so far. */
  public synchronized Duration slept() {
    return sleeps.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
