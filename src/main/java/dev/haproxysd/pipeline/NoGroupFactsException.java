package dev.haproxysd.pipeline;

/**
 * Lifecycle work was asked of an {@code apply} whose inventory is read (a file, S3) and carries no Auto Scaling group
 * facts (version 1, or no service from a group): nothing says which instances wait in which group. Thrown after the
 * inventory was read and before any config work, so the run changed nothing; the caller words it as a usage error.
 */
public final class NoGroupFactsException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  NoGroupFactsException(String message) {
    super(message);
  }
}
