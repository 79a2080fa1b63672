package dev.haproxysd.pipeline;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why the guards object to a run, as facts; the caller words them (and names its own switches).
 *
 * @param emptied services that had servers and would have none (unless empty services are allowed)
 * @param shrink the unexpected removals when they exceed the limit, or null
 * @param removed the servers whose removal nothing explains, as {@code service/id}, at most {@link #LISTED}
 * @param notListed how many more such servers there are than {@code removed} lists
 */
public record GuardBreaches(List<Emptied> emptied, Shrink shrink, List<String> removed, int notListed) {
  static final int LISTED = 20;

  public GuardBreaches {
    emptied = List.copyOf(emptied);
    removed = List.copyOf(removed);
  }

  /** A service that had {@code had} servers and would have none. */
  public record Emptied(String service, int had) {}

  /** Which kind of removal went over the limit. */
  public enum Kind {
    /**
     * Servers of Auto Scaling groups that are gone while their group still wants them (DesiredCapacity did not go
     * down, and they are not terminating, detaching or in standby): instances died, a partial answer, a selection or
     * tag typo. Refused on every run.
     */
    UNEXPLAINED,
    /**
     * Servers of sources without a desired capacity (Cloud Map, inventory files): refused until the same shrink was
     * seen in enough consecutive runs.
     */
    UNCONFIRMED
  }

  /**
   * {@code removed} of {@code total} servers would go unexplained, more than {@code maxPercent}.
   *
   * @param shortfalls the groups that have fewer servers than they want, when {@code kind} is UNEXPLAINED
   * @param sighting how often this same shrink was seen, when {@code kind} is UNCONFIRMED; else null
   */
  public record Shrink(int removed, int total, int maxPercent, Kind kind, List<Shortfall> shortfalls,
      Sighting sighting) {
    public Shrink {
      Objects.requireNonNull(kind, "kind");
      shortfalls = List.copyOf(shortfalls);
    }

    public int percent() {
      return removed * 100 / total;
    }
  }

  /**
   * Auto Scaling group of service {@code service} wants {@code desired} instances and would serve {@code servers}.
   *
   * @param group which of the service's groups, e.g. {@code web-asg in eu-west-1}, when it has several; else empty
   */
  public record Shortfall(String service, String group, int desired, int servers) {}

  /**
   * A shrink seen in {@code runs} consecutive runs since {@code firstSeen}; it is applied in the run that sees it the
   * {@code needed}th time (0: never by repetition).
   */
  public record Sighting(int runs, int needed, Instant firstSeen) {
    boolean confirmed() {
      return needed > 0 && runs >= needed;
    }
  }

  boolean any() {
    return !emptied.isEmpty() || shrink != null;
  }
}
