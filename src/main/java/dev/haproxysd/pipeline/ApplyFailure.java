package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.CheckResult;
import dev.haproxysd.state.QuarantinedConfig;

/**
 * An apply that stopped on purpose; {@link #outcome} says which way, the message says why (the CLI words a refusal
 * from {@link #breaches} and a quarantined candidate from {@link #quarantined}).
 */
public final class ApplyFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Outcome outcome;
  private final transient CheckResult check;
  private final transient GuardBreaches breaches;
  private final transient QuarantinedConfig quarantined;
  private final String reason;

  private ApplyFailure(Outcome outcome, String message, String reason, CheckResult check, GuardBreaches breaches,
      QuarantinedConfig quarantined, Throwable cause) {
    super(message, cause);
    this.outcome = outcome;
    this.reason = reason;
    this.check = check;
    this.breaches = breaches;
    this.quarantined = quarantined;
  }

  static ApplyFailure rejected(String message, CheckResult check) {
    return new ApplyFailure(Outcome.REJECTED, message, check.firstAlert(), check, null, null, null);
  }

  static ApplyFailure refused(GuardBreaches breaches) {
    return new ApplyFailure(Outcome.REFUSED, "guard refused", null, null, breaches, null, null);
  }

  /** @param reason what haproxy or the verification said of the failed reload */
  static ApplyFailure rolledBack(String message, String reason, Throwable cause) {
    return new ApplyFailure(Outcome.ROLLED_BACK, message, reason, null, null, null, cause);
  }

  static ApplyFailure rollbackFailed(String message, String reason, Throwable cause) {
    return new ApplyFailure(Outcome.ROLLBACK_FAILED, message, reason, null, null, null, cause);
  }

  static ApplyFailure quarantined(QuarantinedConfig config) {
    return new ApplyFailure(Outcome.QUARANTINED, "still the config that failed at " + config.failedAt() + ": "
        + config.reason(), config.reason(), null, null, config, null);
  }

  /** One of the outcomes that {@link Outcome#failed}. */
  public Outcome outcome() {
    return outcome;
  }

  /** For {@link Outcome#REJECTED}: what {@code haproxy -c} said; otherwise null. */
  public CheckResult check() {
    return check;
  }

  /** For {@link Outcome#REFUSED}: what the guards found; otherwise null. */
  public GuardBreaches breaches() {
    return breaches;
  }

  /** For {@link Outcome#QUARANTINED}: when the same candidate failed and why; otherwise null. */
  public QuarantinedConfig quarantined() {
    return quarantined;
  }

  /** Why the candidate failed, in haproxy's words (one line), for the quarantine; null when it did not fail. */
  String reason() {
    return reason;
  }
}
