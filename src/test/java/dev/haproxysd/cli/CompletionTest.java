package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The committed bash completion, run by real bash the way bash runs it: COMP_WORDS in, COMPREPLY out. */
class CompletionTest {
  private static final Path SCRIPT = Path.of(GenerateDocs.COMPLETIONS_DIR, GenerateDocs.NAME + ".bash");

  @TempDir Path dir;

  /** Completes the last word of {@code line} (a trailing space means a new, empty word). */
  private List<String> complete(String line) throws IOException, InterruptedException {
    List<String> words = new ArrayList<>(List.of(line.split(" ", -1)));
    // compopt only works inside a real completion; outside one it only tunes display, so stub it.
    String driver = "source " + SCRIPT.toAbsolutePath() + "\ncompopt() { :; }\n"
        + "COMP_WORDS=(" + String.join(" ", words.stream().map(w -> "'" + w + "'").toList()) + ")\n"
        + "COMP_CWORD=" + (words.size() - 1) + "\n"
        + "COMP_LINE='" + line + "'\nCOMP_POINT=${#COMP_LINE}\n"
        + "_complete_haproxy-sd\n"
        + "printf '%s\\n' \"${COMPREPLY[@]}\"\n";
    Path errors = Files.createTempFile("completion", ".err");
    Process bash = new ProcessBuilder("bash", "--norc", "--noprofile", "-c", driver).directory(dir.toFile())
        .redirectError(errors.toFile()).start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    bash.waitFor(30, TimeUnit.SECONDS);
    assertEquals("", Files.readString(errors), "bash printed errors");
    Files.delete(errors);
    List<String> result = new ArrayList<>(output.lines().map(String::strip).filter(s -> !s.isEmpty()).toList());
    result.sort(null);
    return result;
  }

  @Test
  void subcommandsComeFromTheModel() throws Exception {
    List<String> subcommands = new ArrayList<>(GenerateDocs.model().getSubcommands().keySet());
    subcommands.sort(null);
    assertEquals(subcommands, complete("haproxy-sd "));
  }

  @Test
  void aSubcommandPrefix() throws Exception {
    assertEquals(List.of("render"), complete("haproxy-sd ren"));
  }

  @Test
  void optionsOfASubcommand() throws Exception {
    CommandSpec render = GenerateDocs.model().getSubcommands().get("render").getCommandSpec();
    List<String> expected = new ArrayList<>();
    render.options().forEach(o -> {
      for (String name : o.names()) {
        if (name.startsWith("--")) {
          expected.add(name);
        }
      }
    });
    expected.sort(null);
    assertEquals(expected, complete("haproxy-sd render --"));
  }

  @Test
  void enumValues() throws Exception {
    assertEquals(List.of("json", "table"), complete("haproxy-sd discover --output "));
  }

  @Test
  void filePaths() throws Exception {
    Files.createFile(dir.resolve("inventory.json"));
    Files.createFile(dir.resolve("other.txt"));
    assertEquals(List.of("inventory.json"), complete("haproxy-sd render --inventory inv"));
  }

  @Test
  void theModelHasTheOptionsTheseTestsUse() {
    CommandLine model = GenerateDocs.model();
    assertEquals(true, model.getSubcommands().get("discover").getCommandSpec().findOption("--output") != null);
  }
}
