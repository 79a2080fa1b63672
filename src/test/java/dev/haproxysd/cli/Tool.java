package dev.haproxysd.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ScopeType;

/** A small command tree with the shapes the real one has: inherited flags, shared and clashing option names. */
@Command(name = "tool", mixinStandardHelpOptions = true, subcommands = {Tool.Show.class, Tool.Save.class})
final class Tool implements Runnable {
  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT)
  boolean verbose;

  @Option(names = ConfigDefaults.OPTION, scope = ScopeType.INHERIT)
  Path config;

  @Override
  public void run() {}

  enum Format { table, json }

  @Command(name = "show")
  static final class Show implements Runnable {
    @ParentCommand Tool root;

    @Option(names = "--template", defaultValue = "builtin:x", description = "Template (default: ${DEFAULT-VALUE}).")
    String template;

    @Option(names = {"-o", "--output"}, defaultValue = "table")
    Format output;

    @Option(names = "--retries", defaultValue = "3")
    int retries;

    @Option(names = "--var", split = ",")
    Map<String, String> vars = new TreeMap<>();

    @Override
    public void run() {}
  }

  @Command(name = "save")
  static final class Save implements Runnable {
    @Option(names = "--template", defaultValue = "builtin:x", description = "Template (default: ${DEFAULT-VALUE}).")
    String template;

    @Option(names = "--output")
    Path output;

    @Override
    public void run() {}
  }
}
