package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

/** Timeouts ({@code --aws-timeout}, {@code --aws-attempt-timeout}) read the one duration grammar, above zero. */
class DurationConverterTest {
  private final Durations.Positive converter = new Durations.Positive();

  @ParameterizedTest(name = "{0} = {1} ms")
  @CsvSource({"30s, 30000", "500ms, 500", "2m, 120000", "7, 7000", "1h, 3600000", "PT45S, 45000",
      "1m30s, 90000", "pt1m, 60000"})
  void readsTheSameGrammarAsEveryDurationOption(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), converter.convert(text));
    assertEquals(Duration.ofMillis(millis), new Durations().convert(text));
  }

  @ParameterizedTest(name = "\"{0}\"")
  @ValueSource(strings = {"0", "0s", "PT0S", "-1s", "1.5s", "s", "", "1d"})
  void refusesZeroNegativeAndUnknownUnits(String text) {
    assertThrows(TypeConversionException.class, () -> converter.convert(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"soon", "1s30m", "ms", "-PT1S"})
  void bothRefuseWhatIsNotADurationWithTheSameMessage(String text) {
    String zeroOk = assertThrows(TypeConversionException.class, () -> new Durations().convert(text)).getMessage();
    String positive = assertThrows(TypeConversionException.class, () -> converter.convert(text)).getMessage();
    assertEquals(zeroOk, positive);
  }
}
