package dev.haproxysd.haproxy;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A config's {@code hard-stop-after} (global section): how long an old worker may keep serving its connections
 * after a reload before haproxy closes them. Without it an old worker lives until its last connection ends.
 */
public final class HardStopAfter {
  // haproxy's time format: a number and a unit, milliseconds when none is given
  private static final Pattern LINE = Pattern.compile("hard-stop-after\\s+(\\d{1,12})(us|ms|s|m|h|d)?");

  private HardStopAfter() {}

  /** The config's {@code hard-stop-after}, or empty when it sets none (or one this cannot read). */
  public static Optional<Duration> of(String config) {
    for (String line : ConfigLines.of(config)) {
      Matcher m = LINE.matcher(line);
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "ms" : m.group(2);
        return Optional.of(switch (unit) {
          case "us" -> Duration.ofNanos(n * 1000);
          case "s" -> Duration.ofSeconds(n);
          case "m" -> Duration.ofMinutes(n);
          case "h" -> Duration.ofHours(n);
          case "d" -> Duration.ofDays(n);
          default -> Duration.ofMillis(n);
        });
      }
    }
    return Optional.empty();
  }
}
