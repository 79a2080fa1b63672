package dev.haproxysd.cli;

import dev.haproxysd.pipeline.Plan;
import dev.haproxysd.pipeline.Route;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "diff",
    header = "Show what apply would change.",
    description = {
      "Compares the freshly rendered config with what apply installed: the file at --config-file and the record "
          + "in --state-dir. Prints a unified diff (--format text), or a JSON change set with servers added, "
          + "removed and changed and services added and removed since the last apply (--format json).",
      "Exit status as diff(1): 0 apply would do nothing, 1 it would install or reload, 2 or more trouble. A "
          + "missing config file counts as empty; without a recorded inventory every server counts as added.",
      "Example: haproxy-sd diff --inventory inventory.json --format json"
    })
final class DiffCommand implements Callable<Integer> {
  enum Format { text, json }

  @ParentCommand HaproxySdCommand root;
  @Mixin SourceOptions source;
  @Mixin AwsOptions aws;
  @Mixin TemplateOptions template;
  @Mixin TargetOptions target;

  @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
      description = "text (a unified diff) or json (the change set) (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() throws Exception {
    Plan plan = root.pipeline(source, aws, template).plan(target.configFile, target.state(root.log()));
    if (format == Format.json) {
      ChangeSetJson.write(plan, root.out);
    } else {
      root.out.print(plan.unifiedDiff());
      if (plan.action() == Plan.Action.RELOAD) {
        root.log().info(target.configFile + " is the rendered config but the last apply did not record it as "
            + "applied: apply would reload haproxy");
      } else if (plan.wouldChange()) {
        Route route = plan.route();
        root.log().info(route.path() == Route.Path.RUNTIME
            ? "apply --runtime-api would change this without a reload: " + route.describe()
            : "apply would " + route.describe());
      }
    }
    root.out.flush();
    return plan.wouldChange() ? ExitCode.DIFFERS.code : ExitCode.OK.code;
  }
}
