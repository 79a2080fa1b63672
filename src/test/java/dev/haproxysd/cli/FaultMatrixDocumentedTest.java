package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The README's "What happens when …" table is {@link FaultRow#markdownTable()}: the rows {@link FaultMatrixTest}
 * proves. Regenerate with {@code mvn test -Dtest=FaultMatrixDocumentedTest -Dreadme.update=true}.
 */
class FaultMatrixDocumentedTest {
  static final String BEGIN = "<!-- fault-matrix:begin (generated from FaultRow.java; see FaultMatrixDocumentedTest) -->\n";
  static final String END = "<!-- fault-matrix:end -->";

  @Test
  void readmeTable_isTheMatrixTheSuiteChecks() throws IOException {
    Path readme = Path.of("README.md");
    String text = Files.readString(readme, StandardCharsets.UTF_8);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "README.md needs the markers " + BEGIN.strip() + " ... " + END);
    String expected = text.substring(0, begin + BEGIN.length()) + FaultRow.markdownTable() + text.substring(end);
    if (Boolean.getBoolean("readme.update")) {
      Files.writeString(readme, expected, StandardCharsets.UTF_8);
    }
    assertEquals(expected, text, "README.md's fault table differs from FaultRow: rerun with -Dreadme.update=true");
  }

  @Test
  void everyRowHasItsOwnId() {
    assertEquals(FaultRow.values().length,
        java.util.Arrays.stream(FaultRow.values()).map(r -> r.id).distinct().count());
  }
}
