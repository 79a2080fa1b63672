package dev.haproxysd.testing;

import dev.haproxysd.model.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** A clock that never waits: {@link #sleep} records the request and moves time forward. */
public final class FakeClock implements Clock {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private long nanos;
  private final List<Duration> sleeps = new ArrayList<>();

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public synchronized long nanoTime() {
    return nanos;
  }

  @Override
  public synchronized void sleep(Duration duration) {
    sleeps.add(duration);
    advance(duration);
  }

  public synchronized void advance(Duration duration) {
    now = now.plus(duration);
    nanos += duration.toNanos();
  }

  public synchronized List<Duration> sleeps() {
    return List.copyOf(sleeps);
  }
}
