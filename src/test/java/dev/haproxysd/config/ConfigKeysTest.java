package dev.haproxysd.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

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
