package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.CheckResult;

/** An apply that stopped on purpose; {@link Kind} says which way, the message says why and what to do. */
public final class ApplyFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** How the run ended; the CLI maps each to its own exit code. */
  public enum Kind {
    /** {@code haproxy -c} rejected the candidate; nothing was installed. */
    REJECTED,
    /** A guard refused; nothing was written or reloaded. */
    GUARD,
    /** The reload or its verification failed; the previous config was restored and reloaded. */
    RELOAD_ROLLED_BACK,
    /** The reload failed and restoring the previous config failed too. */
    ROLLBACK_FAILED
  }

  private final Kind kind;
  private final transient CheckResult check;

  ApplyFailure(Kind kind, String message) {
    this(kind, message, null, null);
  }

  ApplyFailure(Kind kind, String message, CheckResult check, Throwable cause) {
    super(message, cause);
    this.kind = kind;
    this.check = check;
  }

  public Kind kind() {
    return kind;
  }

  /** For {@link Kind#REJECTED}: what {@code haproxy -c} said; otherwise null. */
  public CheckResult check() {
    return check;
  }
}
