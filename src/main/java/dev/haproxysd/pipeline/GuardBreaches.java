package dev.haproxysd.pipeline;

import java.util.List;

/**
 * Why the guards object to a run, as facts; the caller words them (and names its own switches).
 *
 * @param emptied services that had servers and would have none (unless empty services are allowed)
 * @param shrink the removal share when it exceeds the limit, or null
 * @param removed the removed servers as {@code service/id}, at most {@link #LISTED}
 * @param notListed how many more were removed than {@code removed} lists
 */
public record GuardBreaches(List<Emptied> emptied, Shrink shrink, List<String> removed, int notListed) {
  static final int LISTED = 20;

  public GuardBreaches {
    emptied = List.copyOf(emptied);
    removed = List.copyOf(removed);
  }

  /** A service that had {@code had} servers and would have none. */
  public record Emptied(String service, int had) {}

  /** {@code removed} of {@code total} servers would go, more than {@code maxPercent}. */
  public record Shrink(int removed, int total, int maxPercent) {
    public int percent() {
      return removed * 100 / total;
    }
  }

  boolean any() {
    return !emptied.isEmpty() || shrink != null;
  }
}
