package dev.haproxysd.haproxy;

/** The haproxy binary is not installed or could not be run. */
public final class HaproxyNotFoundException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public HaproxyNotFoundException(String message, Throwable cause) {
    super(message, cause);
  }
}
