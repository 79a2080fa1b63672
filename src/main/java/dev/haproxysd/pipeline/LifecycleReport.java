package dev.haproxysd.pipeline;

import java.time.Duration;
import java.util.List;

/**
 * What the lifecycle work of an {@code apply} found and did; facts for the CLI to word.
 *
 * @param draining instances waiting in {@code Terminating:Wait} that this balancer has not completed yet (after
 *     this run)
 * @param completions the lifecycle actions this run completed (or found completed)
 * @param heartbeats heartbeats sent
 * @param failures calls that failed; the next run tries them again
 * @param firstSeenBlind instances first seen waiting in this run while there was no runtime API to count their
 *     sessions: they complete by time alone
 * @param oldWorkersUncounted instances first seen waiting in this run while old haproxy workers could not be asked
 *     (no master socket)
 * @param fleet what the drain reports said; null without {@code --drain-reports}
 */
public record LifecycleReport(int draining, List<Completion> completions, int heartbeats, List<Failure> failures,
    int firstSeenBlind, List<OldWorkersUncounted> oldWorkersUncounted, Fleet fleet) {
  /** No hook was asked for, or the run did not get that far. */
  public static final LifecycleReport NONE = new LifecycleReport(0, List.of(), 0, List.of(), 0, List.of(), null);

  public LifecycleReport {
    completions = List.copyOf(completions);
    failures = List.copyOf(failures);
    oldWorkersUncounted = List.copyOf(oldWorkersUncounted);
  }

  /**
   * An instance whose completion waits until the old workers that could not be counted have surely gone.
   *
   * @param goneBy {@code hard-stop-after} after the last reload; null when the config sets none (the drain maximum
   *     only completes it)
   * @param hardStopAfter the config's {@code hard-stop-after}, or null
   */
  public record OldWorkersUncounted(String instance, java.time.Instant goneBy, Duration hardStopAfter) {}

  /**
   * One completed lifecycle action.
   *
   * @param sessionsCut sessions haproxy still had on the instance ({@code --drain-max} reached); 0 when drained;
   *     -1 when unknown (no runtime API)
   * @param drained how long since it was first seen waiting
   * @param elsewhere AWS had no active action any more: another balancer completed it, or it timed out
   * @param cutElsewhere at {@code --drain-max}: the sessions other live balancers still reported, by balancer (-1:
   *     uncounted); empty otherwise
   */
  public record Completion(String group, String hook, String instance, String result, int sessionsCut,
      Duration drained, boolean elsewhere, java.util.Map<String, Integer> cutElsewhere) {
    public Completion {
      cutElsewhere = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(cutElsewhere));
    }
  }

  /**
   * The fleet as the drain reports showed it in this run.
   *
   * @param liveBalancers balancers with a live report, this one included (0 when none was read)
   * @param waitingOnOthers instances this balancer has drained that wait for other balancers
   * @param sessions sessions on waiting instances over the live balancers (counted ones only)
   */
  public record Fleet(int liveBalancers, int waitingOnOthers, int sessions) {}

  /**
   * A lifecycle call that failed.
   *
   * @param iamAction e.g. {@code autoscaling:CompleteLifecycleAction}
   * @param message one line: the call, its group and instance, why
   */
  public record Failure(String iamAction, String message) {}
}
