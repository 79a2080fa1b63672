package dev.haproxysd.model;

import java.time.Duration;
import java.time.Instant;

/**
 * Time as a seam: wall-clock time for records, a monotonic clock for durations and deadlines, and sleeping (jitter,
 * lock waits, reload polling), so tests can run all of it without waiting.
 */
public interface Clock {
  Clock SYSTEM =
      new Clock() {
        @Override
        public Instant now() {
          return Instant.now();
        }

        @Override
        public long nanoTime() {
          return System.nanoTime();
        }

        @Override
        public void sleep(Duration duration) throws InterruptedException {
          if (!duration.isNegative() && !duration.isZero()) {
            Thread.sleep(duration.toMillis(), duration.toNanosPart() % 1_000_000);
          }
        }
      };

  Instant now();

  /** Monotonic nanoseconds, only meaningful as a difference. */
  long nanoTime();

  void sleep(Duration duration) throws InterruptedException;

  /** A deadline {@code timeout} from now on this clock's monotonic time. */
  default Deadline deadline(Duration timeout) {
    return new Deadline(this, nanoTime() + timeout.toNanos());
  }

  /** A point in monotonic time; {@link #passed()} tells whether it has been reached. */
  final class Deadline {
    private final Clock clock;
    private final long at;

    Deadline(Clock clock, long at) {
      this.clock = clock;
      this.at = at;
    }

    public boolean passed() {
      return clock.nanoTime() - at >= 0;
    }
  }
}
