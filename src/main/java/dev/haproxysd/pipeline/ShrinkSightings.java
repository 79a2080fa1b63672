package dev.haproxysd.pipeline;

import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.state.PendingShrink;
import dev.haproxysd.state.StateStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * How often a shrink that no desired capacity explains was seen in a row, kept in the state directory with the time
 * it was first seen. A run that sees another shrink, or none, starts the count again: a one-run glitch never counts
 * towards a later one.
 */
final class ShrinkSightings {
  private final StateStore store;
  private final Clock clock;
  private final boolean readOnly;

  private ShrinkSightings(StateStore store, Clock clock, boolean readOnly) {
    this.store = store;
    this.clock = clock;
    this.readOnly = readOnly;
  }

  /** Counts and records (a run under the lock). */
  static ShrinkSightings recording(StateStore store, Clock clock) {
    return new ShrinkSightings(store, clock, false);
  }

  /** Counts as a run would, records nothing ({@code --dry-run}). */
  static ShrinkSightings peeking(StateStore store, Clock clock) {
    return new ShrinkSightings(store, clock, true);
  }

  /** This run sees the shrink {@code removals} (of {@code servers} servers): the streak it continues or starts. */
  PendingShrink see(Sha256 removals, int servers) {
    Optional<PendingShrink> recorded = store.pendingShrink();
    PendingShrink now = recorded.filter(p -> p.removals().equals(removals)).map(PendingShrink::seenAgain)
        .orElseGet(() -> new PendingShrink(removals, servers, clock.now(), 1));
    if (!readOnly) {
      try {
        store.recordPendingShrink(now);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot record the pending shrink in " + store.dir(), e);
      }
    }
    return now;
  }

  /** This run saw no shrink that needs confirming, or applied it: the streak ends. */
  void forget() {
    if (readOnly) {
      return;
    }
    try {
      store.forgetPendingShrink();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the pending shrink from " + store.dir(), e);
    }
  }
}
