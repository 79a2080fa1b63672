package dev.haproxysd.state;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * How the last {@code apply} runs that got the chance to act ended ({@code STATE_DIR/last-run.json}, see {@link
 * LastRunJson}): {@code state.json} only changes when a config is installed, so a refused or failed run leaves its
 * traces here. {@code status} reads it. A run that ends exactly like the one recorded does not write it again
 * ({@link #endsLike}), and successes carry no outcome, so they all end alike: an unchanged run writes nothing.
 *
 * @param since when the first of the runs that ended this way finished
 * @param exitCode the runs' exit code
 * @param outcome how apply ended when it failed, as the CLI names it ({@code refused}, {@code rejected}, …), or
 *     null: it succeeded, or failed before apply decided (discovery, template, …)
 * @param message the one line the run printed on stderr for its failure, or null when it succeeded
 * @param confirmRuns the run's {@code --confirm-runs}: how many sightings apply a pending shrink
 * @param drainMin the run's {@code --drain-min} when it had lifecycle hooks, or null
 */
public record LastRun(Instant since, int exitCode, String outcome, String message, int confirmRuns,
    Duration drainMin) {
  public LastRun {
    Objects.requireNonNull(since, "since");
    if (exitCode < 0 || confirmRuns < 0) {
      throw new IllegalArgumentException("exitCode (" + exitCode + ") and confirmRuns (" + confirmRuns
          + ") must not be negative");
    }
    message = message == null ? null : message.replaceAll("\\R", " ").strip();
  }

  /** Everything but the time is the same: recording {@code next} would tell nothing new. */
  public boolean endsLike(LastRun next) {
    return exitCode == next.exitCode && Objects.equals(outcome, next.outcome) && Objects.equals(message, next.message)
        && confirmRuns == next.confirmRuns && Objects.equals(drainMin, next.drainMin);
  }

  public boolean succeeded() {
    return exitCode == 0;
  }
}
