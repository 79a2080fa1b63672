package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CdsTrainingTest {
  private static final String[] NO_SYSTEM_USER = {"--var", "user=none", "--var", "group=none"};

  @TempDir Path tmp;
  private final StringWriter output = new StringWriter();

  private int train(String inventory) throws Exception {
    String[] args = new String[NO_SYSTEM_USER.length + 1];
    args[0] = inventory;
    System.arraycopy(NO_SYSTEM_USER, 0, args, 1, NO_SYSTEM_USER.length);
    return CdsTraining.run(tmp, new PrintWriter(output), args);
  }

  /** The canned AWS answers must keep satisfying discover, render and diff, or the archive misses the SDK. */
  @Test
  void trainingRun_discoversRendersAndDiffsAgainstItsCannedAnswers() throws Exception {
    assertEquals(0, train("packaging/examples/inventory.json"), output.toString());
    String printed = output.toString();
    assertTrue(printed.contains("\"id\": \"i-0cd5\""), "discover read the canned group and instance:\n" + printed);
    assertTrue(printed.contains("192.0.2.10"), "the EC2 answer gave the address:\n" + printed);
    assertTrue(printed.contains("192.0.2.11"), "the Cloud Map answer was discovered:\n" + printed);
    assertTrue(printed.contains("backend cds-training"), "render and diff produced a config:\n" + printed);
    assertTrue(printed.contains("+++ /dev/null (rendered)"), "diff compared with /dev/null:\n" + printed);
    assertTrue(printed.contains("dry run"), "apply --dry-run ran to its end:\n" + printed);
  }

  @Test
  void theTrainingLeavesNoTemporaryFiles() throws Exception {
    train("packaging/examples/inventory.json");
    try (Stream<Path> left = Files.list(tmp)) {
      assertEquals(List.of(), left.toList());
    }
  }

  @Test
  void aFailingCommand_makesTheTrainingFail() throws Exception {
    assertNotEquals(0, train("target/no-such-inventory.json"));
  }
}
