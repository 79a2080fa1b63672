package dev.haproxysd.discovery;

/** A source could not produce a complete inventory (an API call or page failed). */
public final class DiscoveryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DiscoveryException(String message) {
    super(message);
  }

  public DiscoveryException(String message, Throwable cause) {
    super(message, cause);
  }
}
