package dev.haproxysd.aws;

/** An AWS request failed, or AWS cannot be reached as configured; the message is one line saying what to do. */
public final class AwsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public AwsException(String message) {
    super(message);
  }

  public AwsException(String message, Throwable cause) {
    super(message, cause);
  }
}
