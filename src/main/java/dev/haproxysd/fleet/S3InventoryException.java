package dev.haproxysd.fleet;

/**
 * Reading or publishing the shared inventory failed (access denied, no such bucket or object, an S3 error, no
 * answer). The message is one line naming the URL, what S3 said and what to do.
 */
public final class S3InventoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  S3InventoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
