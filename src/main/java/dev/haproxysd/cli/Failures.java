package dev.haproxysd.cli;

import dev.haproxysd.discovery.DiscoveryException;
import dev.haproxysd.fleet.S3InventoryException;
import dev.haproxysd.fleet.StaleInventoryException;
import dev.haproxysd.haproxy.HaproxyNotFoundException;
import dev.haproxysd.model.InventoryFormatException;
import dev.haproxysd.model.UnsafeValueException;
import dev.haproxysd.pipeline.ApplyFailure;
import dev.haproxysd.render.TemplateError;
import dev.haproxysd.state.LockedException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/** The one place that maps a failure to an exit code and a single line for stderr. */
final class Failures {
  private Failures() {}

  static ExitCode exitCode(Throwable e) {
    if (e instanceof CommandFailure f) {
      return f.exitCode;
    }
    if (e instanceof ApplyFailure a) {
      switch (a.outcome()) {
        case REJECTED:
          return ExitCode.REJECTED;
        case REFUSED:
          return ExitCode.GUARD_REFUSED;
        case ROLLED_BACK:
          return ExitCode.RELOAD_FAILED;
        case ROLLBACK_FAILED:
          return ExitCode.ROLLBACK_FAILED;
        case QUARANTINED:
          return ExitCode.QUARANTINED;
        default:
          return ExitCode.INTERNAL;
      }
    }
    if (e instanceof LockedException) {
      return ExitCode.LOCKED;
    }
    if (e instanceof CommandLine.ParameterException) {
      return ExitCode.USAGE;
    }
    if (e instanceof DiscoveryException) {
      return ExitCode.DISCOVERY;
    }
    if (e instanceof StaleInventoryException) {
      return ExitCode.STALE_INVENTORY;
    }
    if (e instanceof S3InventoryException) {
      return ExitCode.S3_FAILED;
    }
    if (e instanceof InventoryFormatException) {
      return ExitCode.INVENTORY;
    }
    if (e instanceof UnsafeValueException) {
      return ExitCode.UNSAFE_VALUE;
    }
    if (e instanceof TemplateError) {
      return ExitCode.TEMPLATE;
    }
    if (e instanceof HaproxyNotFoundException) {
      return ExitCode.HAPROXY_MISSING;
    }
    if (e instanceof IOException || e instanceof UncheckedIOException) {
      return ExitCode.IO;
    }
    return ExitCode.INTERNAL;
  }

  static String message(Throwable e) {
    Throwable io = e instanceof UncheckedIOException u ? u.getCause() : e;
    if (io instanceof NoSuchFileException n) {
      return n.getFile() + ": no such file or directory";
    }
    if (io instanceof AccessDeniedException a) {
      return a.getFile() + ": permission denied";
    }
    if (io instanceof FileSystemException f && f.getReason() != null) {
      return f.getFile() + ": " + f.getReason();
    }
    if (e instanceof ApplyFailure a && a.breaches() != null) {
      return ApplyReport.refused(a.breaches());
    }
    if (e instanceof ApplyFailure a && a.quarantined() != null) {
      return ApplyReport.quarantined(a.quarantined());
    }
    if (e instanceof LockedException) {
      return e.getMessage() + " (it is safe to let the next run try; --lock-timeout waits for the lock)";
    }
    if (e instanceof HaproxyNotFoundException h && h.missing()) {
      return h.getMessage() + " (install haproxy or pass --haproxy-bin PATH)";
    }
    if (exitCode(e) == ExitCode.INTERNAL) {
      return "internal error: " + e + " (rerun with -v for the stack trace and report it)";
    }
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.replaceAll("\\R", " ");
  }

  /** A failure a command has already described, with its exit code. */
  static final class CommandFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final ExitCode exitCode;

    CommandFailure(ExitCode exitCode, String message) {
      super(message);
      this.exitCode = exitCode;
    }
  }
}
