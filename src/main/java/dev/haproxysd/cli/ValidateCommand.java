package dev.haproxysd.cli;

import dev.haproxysd.haproxy.CheckResult;
import dev.haproxysd.render.Rendered;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "validate",
    header = "Check a config with haproxy -c.",
    description = {
      "Runs 'haproxy -c -f' on FILE, or without FILE on the config rendered from the inventory, and shows "
          + "haproxy's [ALERT] and [WARNING] lines on stderr.",
      "Example: haproxy-sd validate /etc/haproxy/haproxy.cfg"
    })
final class ValidateCommand implements Callable<Integer> {
  @ParentCommand HaproxySdCommand root;
  @Mixin SourceOptions source;
  @Mixin AwsOptions aws;
  @Mixin TemplateOptions template;
  @Mixin HaproxyOptions haproxy;

  @Parameters(arity = "0..1", paramLabel = "FILE", description = "The config to check (default: render one).")
  Path file;

  @Override
  public Integer call() throws Exception {
    if (file != null) {
      if (source.given()) {
        throw new ParameterException(source.command.commandLine(),
            "Give FILE or a source (--inventory, --asg, ...), not both");
      }
      return report(haproxy.checker().check(file, file.toString()), file.toString());
    }
    Rendered rendered = root.pipeline(source, aws, template).render();
    return report(haproxy.checker().checkContent(rendered.bytes(), "<rendered>"), "the rendered config");
  }

  private int report(CheckResult result, String what) {
    if (!root.quiet) {
      result.warnings().forEach(w -> root.err.println("haproxy-sd: haproxy: [WARNING] " + w));
    }
    result.alerts().forEach(a -> root.err.println("haproxy-sd: haproxy: [ALERT] " + a));
    if (!result.valid()) {
      throw new Failures.CommandFailure(ExitCode.REJECTED, "haproxy -c rejected " + what + ": "
          + result.firstAlert() + " (fix the template or inventory; nothing was installed)");
    }
    root.log().info(what + ": valid");
    return ExitCode.OK.code;
  }
}
