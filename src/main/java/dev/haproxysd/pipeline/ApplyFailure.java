package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.CheckResult;

/**
 * An apply that stopped on purpose; {@link #outcome} says which way, the message says why (the CLI words a refusal
 * from {@link #breaches}).
 */
public final class ApplyFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final Outcome outcome;
  private final transient CheckResult check;
  private final transient GuardBreaches breaches;

  private ApplyFailure(Outcome outcome, String message, CheckResult check, GuardBreaches breaches, Throwable cause) {
    super(message, cause);
    this.outcome = outcome;
    this.check = check;
    this.breaches = breaches;
  }

  static ApplyFailure rejected(String message, CheckResult check) {
    return new ApplyFailure(Outcome.REJECTED, message, check, null, null);
  }

  static ApplyFailure refused(GuardBreaches breaches) {
    return new ApplyFailure(Outcome.REFUSED, "guard refused", null, breaches, null);
  }

  static ApplyFailure rolledBack(String message, Throwable cause) {
    return new ApplyFailure(Outcome.ROLLED_BACK, message, null, null, cause);
  }

  static ApplyFailure rollbackFailed(String message, Throwable cause) {
    return new ApplyFailure(Outcome.ROLLBACK_FAILED, message, null, null, cause);
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
}
