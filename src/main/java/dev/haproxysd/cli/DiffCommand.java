package dev.haproxysd.cli;

import dev.haproxysd.pipeline.Plan;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "diff",
    header = "Show what would change in the installed config.",
    description = {
      "Prints a unified diff from --config-file to the freshly rendered config. Exit status as diff(1): "
          + "0 no differences, 1 differences, 2 or more trouble. A missing config file counts as empty.",
      "Example: haproxy-sd diff --inventory inventory.json --config-file /etc/haproxy/haproxy.cfg"
    })
final class DiffCommand implements Callable<Integer> {
  @ParentCommand HaproxySdCommand root;
  @Mixin SourceOptions source;
  @Mixin TemplateOptions template;

  @Option(names = {"-c", "--config-file"}, paramLabel = "FILE", defaultValue = "/etc/haproxy/haproxy.cfg",
      description = "The installed config to compare with (default: ${DEFAULT-VALUE}).")
  Path configFile;

  @Override
  public Integer call() throws Exception {
    Plan plan = root.pipeline(source, template).plan(configFile);
    root.out.print(plan.unifiedDiff());
    root.out.flush();
    return plan.changed() ? ExitCode.DIFFERS.code : ExitCode.OK.code;
  }
}
