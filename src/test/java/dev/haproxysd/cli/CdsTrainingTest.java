package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class CdsTrainingTest {
  /** The canned AWS answers must keep satisfying discover, render and diff, or the archive misses the SDK. */
  @Test
  void trainingRun_discoversRendersAndDiffsAgainstItsCannedAnswers() throws Exception {
    assertEquals(0, CdsTraining.run("packaging/examples/inventory.json"));
  }

  @Test
  void theTrainingLeavesNoTemporaryFiles() throws Exception {
    CdsTraining.run("packaging/examples/inventory.json");
    try (Stream<Path> tmp = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
      assertEquals(List.of(), tmp.filter(p -> p.getFileName().toString().startsWith("haproxy-sd-cds")).toList());
    }
  }

  @Test
  void aFailingCommand_makesTheTrainingFail() throws Exception {
    assertNotEquals(0, CdsTraining.run("target/no-such-inventory.json"));
  }
}
