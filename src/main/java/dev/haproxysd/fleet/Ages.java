package dev.haproxysd.fleet;

import java.time.Duration;

/** An age as people read it in a log line: {@code 45s}, {@code 14m05s}, {@code 2h03m}, {@code 3d04h}. */
final class Ages {
  private Ages() {}

  static String describe(Duration age) {
    long s = Math.max(0, age.getSeconds());
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return String.format("%dm%02ds", s / 60, s % 60);
    }
    if (s < 86_400) {
      return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
    }
    return String.format("%dd%02dh", s / 86_400, s % 86_400 / 3600);
  }
}
