package dev.haproxysd.haproxy;

import java.io.IOException;

/** haproxy's runtime API gave a reply other than the one a successful command gets. */
final class RuntimeApiException extends IOException {
  private static final long serialVersionUID = 1L;

  RuntimeApiException(String message) {
    super(message);
  }
}
