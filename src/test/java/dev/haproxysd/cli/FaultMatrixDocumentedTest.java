package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * haproxy-sd-apply(1)'s "What happens when …" list is {@link FaultRow#manPageList()}: the rows {@link
 * FaultMatrixTest} proves. Regenerate with {@code mvn test -Dtest=FaultMatrixDocumentedTest -Ddocs.update=true},
 * then the man pages with {@code mvn -B -Pregen process-test-classes}.
 */
class FaultMatrixDocumentedTest {
  static final Path PAGE = Path.of("man/src/haproxy-sd-apply.adoc");
  static final String BEGIN = "// fault-matrix:begin (generated from FaultRow.java; see FaultMatrixDocumentedTest)\n";
  static final String END = "// fault-matrix:end";

  @Test
  void manPageList_isTheMatrixTheSuiteChecks() throws IOException {
    String text = Files.readString(PAGE, StandardCharsets.UTF_8);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertTrue(begin >= 0 && end > begin, PAGE + " needs the markers " + BEGIN.strip() + " ... " + END);
    String expected = text.substring(0, begin + BEGIN.length()) + FaultRow.manPageList() + text.substring(end);
    if (Boolean.getBoolean("docs.update")) {
      Files.writeString(PAGE, expected, StandardCharsets.UTF_8);
    }
    assertEquals(expected, text, PAGE + "'s fault list differs from FaultRow: rerun with -Ddocs.update=true");
  }

  @Test
  void everyRowHasItsOwnId() {
    assertEquals(FaultRow.values().length,
        java.util.Arrays.stream(FaultRow.values()).map(r -> r.id).distinct().count());
  }
}
