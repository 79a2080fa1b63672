package dev.haproxysd.state;

import dev.haproxysd.model.Sha256;
import java.time.Instant;
import java.util.Objects;

/**
 * A shrink beyond the removal limit that no desired capacity explains, waiting to be seen in enough consecutive runs
 * ({@code STATE_DIR/pending-shrink.json}, see {@link PendingShrinkJson}).
 *
 * @param removals identifies the shrink: the hash of the removed servers ({@code service/id}, sorted)
 * @param servers how many servers it removes
 * @param firstSeen when the first run of the streak saw it
 * @param runs in how many consecutive runs it was seen, 1 or more
 */
public record PendingShrink(Sha256 removals, int servers, Instant firstSeen, int runs) {
  public PendingShrink {
    Objects.requireNonNull(removals, "removals");
    Objects.requireNonNull(firstSeen, "firstSeen");
    if (servers < 1 || runs < 1) {
      throw new IllegalArgumentException("servers (" + servers + ") and runs (" + runs + ") must be positive");
    }
  }

  /** The same shrink seen once more. */
  public PendingShrink seenAgain() {
    return new PendingShrink(removals, servers, firstSeen, runs + 1);
  }
}
