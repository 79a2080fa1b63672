package dev.haproxysd.cli;

import static java.util.stream.Collectors.toSet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

class ConfigKeysTest {
  private final ConfigKeys keys = ConfigKeys.of(new CommandLine(new Tool()).getCommandSpec());

  private List<String> names() {
    return keys.all().stream().map(ConfigKeys.Key::name).toList();
  }

  @Test
  void everyOptionHasAScopedKey_andSharedNamesAnUnscopedOne() {
    assertEquals(List.of("verbose", "template", "retries", "var",
        "show.template", "show.output", "show.retries", "show.var", "save.template", "save.output"), names());
  }

  @Test
  void helpVersionAndTheConfigOptionItselfAreNotKeys() {
    assertFalse(names().contains("help"));
    assertFalse(names().contains("version"));
    assertFalse(names().contains("config"));
  }

  @Test
  void aNameWithDifferentMeaningsHasOnlyScopedKeys() {
    assertTrue(keys.find("output").isEmpty());
    assertEquals(List.of("show.output", "save.output"), keys.alternativesTo("output"));
  }

  @Test
  void theTableGivesTheSameKeysToTheOptionsOfATreeWithOnlySomeSubcommands() {
    ConfigKeys fromTable = ConfigKeys.parse("tool", "# a comment\n" + keys.table());
    assertEquals(Set.copyOf(names()), fromTable.all().stream().map(ConfigKeys.Key::name).collect(toSet()));
    assertEquals(keys.alternativesTo("output"), fromTable.alternativesTo("output"));
    CommandLine partial = new CommandLine(new Tool());
    partial.getCommandSpec().removeSubcommand("show");
    List<OptionSpec> options = new ArrayList<>(partial.getCommandSpec().options());
    options.addAll(partial.getSubcommands().get("save").getCommandSpec().options());
    assertFalse(options.isEmpty());
    for (OptionSpec option : options) {
      assertEquals(keys.keysOf(full(option)), fromTable.keysOf(option), option.longestName());
    }
    assertEquals(List.of("save.output"), fromTable.keysOf(partial.getSubcommands().get("save").getCommandSpec()
        .findOption("output")));
  }

  @Test
  void aTableLineThatIsNotOneIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> ConfigKeys.parse("tool", "key verbose\n"));
  }

  /** The same option in the tree {@link #keys} was made from. */
  private static OptionSpec full(OptionSpec option) {
    CommandLine tool = new CommandLine(new Tool());
    String command = option.command().name();
    CommandLine in = command.equals("tool") ? tool : tool.getSubcommands().get(command);
    return in.getCommandSpec().findOption(option.longestName());
  }

  @Test
  void environmentVariableNames() {
    assertEquals("HAPROXY_SD_SHOW_TEMPLATE", keys.find("show.template").orElseThrow().environmentVariable());
    assertEquals("HAPROXY_SD_VERBOSE", keys.find("verbose").orElseThrow().environmentVariable());
  }

  @Test
  void commentedFile_listsEachKeyOnceWithItsDefault_allCommentedOut() {
    String file = keys.commentedFile();
    assertTrue(file.contains("\n#template = builtin:x\n"), file);
    assertTrue(file.contains("\n#verbose = false\n"), file);
    assertTrue(file.contains("\n#show.output = table\n"), file);
    assertTrue(file.contains("\n#save.output =\n"), file);
    assertTrue(file.contains("Template (default: builtin:x)."), file);
    assertFalse(file.contains("#show.template"), "covered by the unscoped key");
    assertTrue(file.lines().allMatch(l -> l.isEmpty() || l.startsWith("#")), "nothing is set by default");
  }
}
