package dev.haproxysd.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What an {@code apply --watch} process says of itself after each cycle ({@code STATE_DIR/watch.json}, see {@link
 * WatchStatusJson}), so that {@code status} can show it: the file stays when the process ends; its pid says whether
 * it still runs.
 *
 * @param pid the watching process
 * @param startedAt when it started
 * @param interval its {@code --watch} interval
 * @param cycles cycles finished so far
 * @param lastCycleStartedAt when the last finished cycle started
 * @param lastCycleFinishedAt when it finished
 * @param lastExitCode its exit code
 * @param failuresInARow consecutive cycles that failed on AWS up to the last one (the wait backs off meanwhile)
 * @param nextCycleAt when the next cycle starts
 */
public record WatchStatus(long pid, Instant startedAt, Duration interval, long cycles, Instant lastCycleStartedAt,
    Instant lastCycleFinishedAt, int lastExitCode, int failuresInARow, Instant nextCycleAt) {
  public WatchStatus {
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(lastCycleStartedAt, "lastCycleStartedAt");
    Objects.requireNonNull(lastCycleFinishedAt, "lastCycleFinishedAt");
    Objects.requireNonNull(nextCycleAt, "nextCycleAt");
    if (pid < 1 || cycles < 1 || lastExitCode < 0 || failuresInARow < 0) {
      throw new IllegalArgumentException("pid (" + pid + ") and cycles (" + cycles + ") must be positive, "
          + "lastExitCode (" + lastExitCode + ") and failuresInARow (" + failuresInARow + ") not negative");
    }
  }
}
