package dev.haproxysd.cli;

import dev.haproxysd.model.Log;
import java.io.PrintWriter;

/** Progress on stderr: debug with -v, info unless -q, warnings always. */
final class CliLog implements Log {
  private final PrintWriter err;
  private final boolean verbose;
  private final boolean quiet;

  CliLog(PrintWriter err, boolean verbose, boolean quiet) {
    this.err = err;
    this.verbose = verbose;
    this.quiet = quiet;
  }

  @Override
  public void debug(String message) {
    if (verbose) {
      print("debug: ", message);
    }
  }

  @Override
  public void info(String message) {
    if (!quiet) {
      print("", message);
    }
  }

  @Override
  public void warn(String message) {
    print("warning: ", message);
  }

  private void print(String level, String message) {
    err.println("haproxy-sd: " + level + message);
    err.flush();
  }
}
