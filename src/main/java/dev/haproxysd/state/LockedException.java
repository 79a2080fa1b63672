package dev.haproxysd.state;

import java.nio.file.Path;
import java.time.Duration;

/** Another run holds the state-directory lock. */
public final class LockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  LockedException(Path lockFile, Duration waited) {
    super("another haproxy-sd apply holds " + lockFile
        + (waited.isZero() ? "" : " (waited " + waited.toMillis() + " ms)")
        + "; this run did nothing");
  }
}
