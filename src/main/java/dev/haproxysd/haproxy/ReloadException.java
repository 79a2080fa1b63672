package dev.haproxysd.haproxy;

/** A reload could not be started, or haproxy did not verifiably come up with the new config. */
public final class ReloadException extends Exception {
  private static final long serialVersionUID = 1L;

  public ReloadException(String message) {
    super(message);
  }

  public ReloadException(String message, Throwable cause) {
    super(message, cause);
  }
}
