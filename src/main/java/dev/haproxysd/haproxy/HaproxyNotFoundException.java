package dev.haproxysd.haproxy;

/** The haproxy binary is not installed or could not be run (see {@link #missing}). */
public final class HaproxyNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HaproxyNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The binary could not be started at all (rather than started and hung). */
  public boolean missing() {
    return !(getCause() instanceof ProcessRunner.ProcessTimeoutException);
  }
}
