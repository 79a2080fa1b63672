package dev.haproxysd.pipeline;

/**
 * Watches an {@code apply} go by: the phases where a crash would leave a different picture on disk, and the guard
 * decisions the caller words for the operator. The CLI logs the guard events and ignores the phases; the fault
 * tests stop a run at a phase and kill it.
 */
public interface RunObserver {
  /** Observes nothing. */
  RunObserver NONE = new RunObserver() {};

  /** The points of an apply where a crash leaves a different picture on disk, in run order. */
  enum Phase {
    /** The lock is held and the guards passed; nothing written yet. */
    BEFORE_WRITE("before-write"),
    /** The candidate next to the config is complete, fsynced and passed haproxy -c; not renamed yet. */
    AFTER_TEMP_WRITE("after-temp-write"),
    /** The new config is in place; haproxy not reloaded yet. */
    AFTER_RENAME("after-rename"),
    /** The reload was sent; not verified, nothing recorded yet. */
    DURING_RELOAD("during-reload");

    private final String id;

    Phase(String id) {
      this.id = id;
    }

    /** E.g. {@code after-rename}. */
    public String id() {
      return id;
    }
  }

  default void reached(Phase phase) {}

  /** There is no recorded inventory, so the guards had nothing to compare this run with. */
  default void guardsUnchecked() {}

  /** The guards would have refused this run, but they were told to let it through once. */
  default void guardsOverridden(GuardBreaches breaches) {}

  /**
   * {@code removed} of {@code total} servers go without a desired capacity to explain it, more than the limit; the
   * same shrink was seen in enough consecutive runs, so it is applied.
   */
  default void shrinkConfirmed(int removed, int total, GuardBreaches.Sighting sighting) {}

  /**
   * haproxy was found running the installed config ({@code how}) although no run had recorded it: from now on the
   * runtime API may change its servers.
   */
  default void adopted(String how) {}

  /** The installed config is the rendered one, but haproxy could not be proved to run it ({@code why}). */
  default void notAdopted(String why) {}
}
