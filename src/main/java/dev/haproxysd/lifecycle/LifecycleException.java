package dev.haproxysd.lifecycle;

/**
 * A lifecycle call that failed (access denied, throttled, unreachable...); the message is one line naming the call,
 * the group and instance, why, and for access denied the IAM action to allow.
 */
public final class LifecycleException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String iamAction;

  LifecycleException(String iamAction, String message, Throwable cause) {
    super(message, cause);
    this.iamAction = iamAction;
  }

  /** E.g. {@code autoscaling:CompleteLifecycleAction}. */
  public String iamAction() {
    return iamAction;
  }
}
