package dev.haproxysd.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The one grammar of every DURATION option: {@code 500ms}, {@code 45s}, {@code 5m}, {@code 1h}, combined
 * ({@code 1m30s}, {@code 1h5m}), plain seconds ({@code 7}, {@code 0}) or ISO-8601 ({@code PT45S}). This converter
 * accepts zero ("no jitter", "do not wait"); {@link Positive}, for timeouts, does not.
 */
class Durations implements ITypeConverter<Duration> {
  private static final Pattern SECONDS = Pattern.compile("\\d{1,9}");
  private static final Pattern UNITS =
      Pattern.compile("(?:(\\d{1,9})h)?(?:(\\d{1,9})m(?!s))?(?:(\\d{1,9})s)?(?:(\\d{1,9})ms)?");

  @Override
  public Duration convert(String value) {
    String text = value.strip();
    if (SECONDS.matcher(text).matches()) {
      return Duration.ofSeconds(Long.parseLong(text));
    }
    Matcher m = UNITS.matcher(text);
    if (!text.isEmpty() && m.matches()) {
      return Duration.ofHours(number(m.group(1))).plusMinutes(number(m.group(2))).plusSeconds(number(m.group(3)))
          .plusMillis(number(m.group(4)));
    }
    try {
      Duration d = Duration.parse(text.toUpperCase(Locale.ROOT));
      if (!d.isNegative()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // fall through to the message below
    }
    throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 45s, 1m30s, 1h or PT45S)");
  }

  /** The shortest form of {@code d} in this grammar, e.g. {@code 2m}, {@code 1h30m}, {@code 45s}, {@code 500ms}. */
  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    long hours = d.toHours();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    int millis = d.toMillisPart();
    if (hours > 0) {
      text.append(hours).append('h');
    }
    if (minutes > 0) {
      text.append(minutes).append('m');
    }
    if (seconds > 0) {
      text.append(seconds).append('s');
    }
    if (millis > 0) {
      text.append(millis).append("ms");
    }
    return text.toString();
  }

  private static long number(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }

  /** The same grammar, longer than zero: a timeout of nothing would fail every call. */
  static final class Positive extends Durations {
    @Override
    public Duration convert(String value) {
      Duration d = super.convert(value);
      if (d.isZero()) {
        throw new TypeConversionException("'" + value + "': a timeout must be longer than 0");
      }
      return d;
    }
  }
}
