package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"0, PT0S", "7, PT7S", "500ms, PT0.5S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "PT2S, PT2S"})
  void durations(String text, String iso) {
    assertEquals(Duration.parse(iso), new Durations().convert(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"-1s", "soon", "1d", "1.5s"})
  void badDurations(String text) {
    assertThrows(TypeConversionException.class, () -> new Durations().convert(text));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({"50%, 50", "0, 0", "100%, 100"})
  void percentages(String text, int value) {
    assertEquals(value, new Percent().convert(text));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"101%", "-5%", "half"})
  void badPercentages(String text) {
    assertThrows(TypeConversionException.class, () -> new Percent().convert(text));
  }
}
