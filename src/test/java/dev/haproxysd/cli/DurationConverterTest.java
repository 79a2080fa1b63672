package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class DurationConverterTest {
  private final SourceOptions.DurationConverter converter = new SourceOptions.DurationConverter();

  @ParameterizedTest
  @CsvSource({"30s, 30000", "500ms, 500", "2m, 120000", "7, 7000"})
  void readsSecondsMillisecondsAndMinutes(String text, long millis) {
    assertEquals(Duration.ofMillis(millis), converter.convert(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "0s", "-1s", "1h", "1.5s", "s", ""})
  void refusesZeroNegativeAndUnknownUnits(String text) {
    assertThrows(TypeConversionException.class, () -> converter.convert(text));
  }
}
