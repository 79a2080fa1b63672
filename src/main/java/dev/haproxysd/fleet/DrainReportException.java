package dev.haproxysd.fleet;

/**
 * Writing, listing or reading drain reports failed; the message is one line naming the request, what S3 said and
 * what to do, {@link #iamAction} the permission it needs. Nothing is completed on it: the next run tries again.
 */
public final class DrainReportException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String iamAction;

  DrainReportException(String iamAction, String message, Throwable cause) {
    super(message, cause);
    this.iamAction = iamAction;
  }

  /** E.g. {@code s3:PutObject}. */
  public String iamAction() {
    return iamAction;
  }
}
