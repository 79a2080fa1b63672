package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Command;

class CommandTreeTest {
  private static final List<String> ALL = List.of("discover", "render", "diff", "validate", "apply", "status");

  private static List<String> subcommands(String... args) {
    return List.copyOf(CommandTree.forArguments(new HaproxySdCommand(null, null, null, dev.haproxysd.pipeline.RunObserver.NONE, dev.haproxysd.model.Clock.SYSTEM), args).getSubcommands()
        .keySet());
  }

  @Test
  void aRunBuildsOnlyTheSubcommandsItNames() {
    assertEquals(List.of("render"), subcommands("render", "--inventory", "x.json"));
    assertEquals(List.of("apply"), subcommands("-v", "apply", "--asg", "web"));
    // a value that happens to be a command name only adds a command that is not used
    assertEquals(List.of("render", "apply"), subcommands("--config", "apply", "render"));
  }

  @Test
  void usageHelpVersionAndTyposGetEveryCommand() {
    assertEquals(ALL, subcommands());
    assertEquals(ALL, subcommands("rendr", "--inventory", "x.json"));
    assertEquals(ALL, subcommands("render", "--help"));
    assertEquals(ALL, subcommands("render", "-h"));
    assertEquals(ALL, subcommands("-vh", "render"));
    assertEquals(ALL, subcommands("--version", "render"));
    assertEquals(ALL, subcommands("-V", "--verbose"));
    assertEquals(ALL, subcommands("-Vx"));
  }

  @Test
  void theVersionAloneGetsTheRootAlone() {
    assertEquals(List.of(), subcommands("--version"));
    assertEquals(List.of(), subcommands("-V"));
    assertEquals(List.of(), subcommands("-V", "--version"));
  }

  @Test
  void theNamesAreTheCommandsOwn() {
    assertEquals(CommandTree.ROOT, HaproxySdCommand.class.getAnnotation(Command.class).name());
    for (CommandTree.Subcommand c : CommandTree.SUBCOMMANDS) {
      assertEquals(c.type().getAnnotation(Command.class).name(), c.name());
    }
    assertEquals(ALL, CommandTree.SUBCOMMANDS.stream().map(CommandTree.Subcommand::name).toList());
  }

  @Test
  void theFullTreeIsWhatTheDocsAreGeneratedFrom() {
    assertEquals(ALL, List.copyOf(GenerateDocs.model().getSubcommands().keySet()));
  }
}
