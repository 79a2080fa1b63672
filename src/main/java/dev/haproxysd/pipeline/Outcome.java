package dev.haproxysd.pipeline;

/**
 * What an {@code apply} did, one name per way a run ends. The failures travel in an {@link ApplyFailure}; a run that
 * stops a new kind of way gets its own constant here and its own exit code in the CLI.
 */
public enum Outcome {
  /** The installed config is the rendered one and was recorded as applied: nothing written, nothing reloaded. */
  UNCHANGED(Effect.NONE),
  /** {@code --dry-run}: the guards and {@code haproxy -c} passed; something would change, nothing did. */
  WOULD_CHANGE(Effect.NONE),
  /** The new config was installed; no reload was configured, so haproxy was not reloaded. */
  INSTALLED(Effect.INSTALLED),
  /** The config was already in place but never recorded as applied; no reload was configured: only recorded. */
  RECORDED(Effect.NONE),
  /** The new config was installed and haproxy reloaded with it, the reload verified. */
  INSTALLED_AND_RELOADED(Effect.INSTALLED_AND_RELOADED),
  /** The config was already in place but never recorded as applied: haproxy was reloaded with it. */
  RELOADED(Effect.RELOADED),
  /** Servers changed through the runtime API, checked, and the file installed without a reload. */
  RUNTIME_ONLY(Effect.INSTALLED),
  /** {@code haproxy -c} rejected the candidate; nothing was installed. */
  REJECTED(Effect.NONE),
  /** A guard refused the run; nothing was written or reloaded. */
  REFUSED(Effect.NONE),
  /** The reload failed; the previous config was restored and reloaded. */
  ROLLED_BACK(Effect.NONE),
  /** The reload failed and restoring the previous config failed too. */
  ROLLBACK_FAILED(Effect.NONE),
  /** The candidate is byte-identical to one that failed before: neither installed nor reloaded again. */
  QUARANTINED(Effect.NONE);

  private enum Effect { NONE, INSTALLED, RELOADED, INSTALLED_AND_RELOADED }

  private final Effect effect;

  Outcome(Effect effect) {
    this.effect = effect;
  }

  /** The rendered config differed from what was installed or recorded: there was something to do. */
  public boolean wouldChange() {
    return this != UNCHANGED;
  }

  /** A new config file was installed (and stayed installed). */
  public boolean installed() {
    return effect == Effect.INSTALLED || effect == Effect.INSTALLED_AND_RELOADED;
  }

  /** haproxy was reloaded with the rendered config and the reload verified. */
  public boolean reloaded() {
    return effect == Effect.RELOADED || effect == Effect.INSTALLED_AND_RELOADED;
  }

  /** The run ended in an {@link ApplyFailure}. */
  public boolean failed() {
    return this == REJECTED || this == REFUSED || this == ROLLED_BACK || this == ROLLBACK_FAILED
        || this == QUARANTINED;
  }

  /** The run ended with its candidate quarantined: it failed now, or it had failed before. */
  public boolean leavesQuarantined() {
    return this == REJECTED || this == ROLLED_BACK || this == ROLLBACK_FAILED || this == QUARANTINED;
  }
}
