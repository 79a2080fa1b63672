package dev.haproxysd.cli;

import dev.haproxysd.discovery.Source;
import dev.haproxysd.model.Log;
import java.io.InputStream;
import java.nio.file.Path;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** Where the inventory comes from. */
final class SourceOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--inventory", paramLabel = "FILE",
      description = "Read the inventory from FILE, as written by 'discover -o json'; '-' reads standard input.")
  Path inventory;

  Source source(InputStream stdin, Log log) {
    if (inventory == null) {
      throw new ParameterException(command.commandLine(), "No source: give --inventory FILE");
    }
    return Source.file(inventory, stdin);
  }
}
