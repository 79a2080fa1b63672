package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Drift test: the committed completions, man pages and config file must be what the build just generated from
 * the command model ({@link GenerateDocs}, run before the tests in {@code process-test-classes}).
 */
class GeneratedFilesTest {
  private static final Path PROJECT = Path.of("").toAbsolutePath();
  private static final Path GENERATED = Path.of(System.getProperty("haproxysd.generated", "target/generated-docs"));
  private static final Path RENDERED_MAN =
      Path.of(System.getProperty("haproxysd.renderedMan", "target/generated-docs/man"));
  private static final String FIX = "; run `" + GenerateDocs.REGEN_COMMAND + "` and commit the result";

  private static void assertSame(Path generated, Path committed) throws IOException {
    if (!Files.exists(generated)) {
      fail(generated + " was not generated: run the build up to process-test-classes (`mvn -B verify`)");
    }
    if (!Files.exists(committed)) {
      fail(PROJECT.relativize(committed) + " is missing" + FIX);
    }
    String want = Files.readString(generated, StandardCharsets.UTF_8);
    String have = Files.readString(committed, StandardCharsets.UTF_8);
    if (!want.equals(have)) {
      fail(PROJECT.relativize(committed) + " no longer matches the command model" + FIX);
    }
  }

  @TestFactory
  Stream<DynamicTest> completionsMatchTheModel() {
    return Stream.of(GenerateDocs.NAME + ".bash", "_" + GenerateDocs.NAME).map(name -> DynamicTest.dynamicTest(name,
        () -> assertSame(GENERATED.resolve("completions").resolve(name),
            PROJECT.resolve(GenerateDocs.COMPLETIONS_DIR).resolve(name))));
  }

  @Test
  void configFileListsEveryKeyOfTheModel() throws IOException {
    assertSame(GENERATED.resolve(GenerateDocs.CONF), PROJECT.resolve(GenerateDocs.COMMITTED_CONF));
  }

  @Test
  void configKeyTableInTheJarMatchesTheModel() throws IOException {
    assertSame(GENERATED.resolve(CommandTree.KEYS_RESOURCE), PROJECT.resolve(GenerateDocs.COMMITTED_KEYS));
  }

  @TestFactory
  Stream<DynamicTest> manPagesMatchTheModel() {
    return pages().stream().map(page -> DynamicTest.dynamicTest(page,
        () -> assertSame(RENDERED_MAN.resolve(page + ".1"), PROJECT.resolve(GenerateDocs.MAN_DIR).resolve(page + ".1"))));
  }

  @Test
  void noManPageForACommandThatIsGone() throws IOException {
    try (Stream<Path> files = Files.list(PROJECT.resolve(GenerateDocs.MAN_DIR))) {
      Set<String> committed = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".1"))
          .map(n -> n.substring(0, n.length() - 2)).collect(Collectors.toCollection(TreeSet::new));
      committed.removeAll(pages());
      assertTrue(committed.isEmpty(), "man pages without a command: " + committed + FIX);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyPageHasItsHandWrittenSections() {
    return pages().stream().map(page -> DynamicTest.dynamicTest(page, () -> {
      Path source = PROJECT.resolve(GenerateDocs.HAND_WRITTEN_DIR).resolve(page + ".adoc");
      assertTrue(Files.exists(source), source + " is missing" + FIX + " (it adds a stub to fill in)");
      String text = Files.readString(source, StandardCharsets.UTF_8);
      assertFalse(text.contains("TODO"), PROJECT.relativize(source) + " still has TODO sections: write them");
      for (String section : GenerateDocs.HAND_WRITTEN_SECTIONS) {
        assertTrue(text.contains("\n== " + section + "\n"), PROJECT.relativize(source) + " lacks '== " + section + "'");
      }
      for (String tag : GenerateDocs.GENERATED_SECTIONS) {
        assertTrue(text.contains("[tag=picocli-generated-man-section-" + tag + "]"),
            PROJECT.relativize(source) + " does not include the generated " + tag + " section");
      }
    }));
  }

  @Test
  void pagesCarryTheReleaseVersion_notTheCommit_soTheyOnlyChangeWithTheModel() {
    String version = GenerateDocs.releaseVersion();
    assertTrue(version.matches("haproxy-sd \\d+\\.\\d+\\.\\d+.*"), version);
    assertFalse(version.contains("commit"), version);
  }

  private static List<String> pages() {
    return GenerateDocs.commands(GenerateDocs.model()).stream().map(GenerateDocs::pageName).toList();
  }
}
