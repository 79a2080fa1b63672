package dev.haproxysd.haproxy;

import java.util.List;

/**
 * What {@code haproxy -c} said about a config.
 *
 * @param valid exit status 0 (valid, possibly with warnings) or 2 (valid but without any listener)
 * @param alerts the {@code [ALERT]} lines that say why it was rejected, without haproxy's pid prefix
 * @param warnings the {@code [WARNING]} lines
 */
public record CheckResult(boolean valid, int exitCode, List<String> alerts, List<String> warnings) {
  public CheckResult {
    alerts = List.copyOf(alerts);
    warnings = List.copyOf(warnings);
  }

  /** The most useful single line for an error message. */
  public String firstAlert() {
    return alerts.isEmpty() ? "haproxy -c exited " + exitCode + " without an [ALERT] line" : alerts.get(0);
  }
}
