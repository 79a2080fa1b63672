package dev.haproxysd.cli;

import dev.haproxysd.pipeline.Pipeline;
import dev.haproxysd.render.Rendered;
import dev.haproxysd.state.AtomicFile;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "render",
    header = "Render haproxy.cfg from the inventory and a template.",
    description = {
      "Renders the config to standard output (nothing else is printed there), or atomically to --output.",
      "The same inventory renders byte-identical output on every host and every run. With a recorded apply in "
          + "--state-dir each server renders into the slot apply recorded for it; without one, slots follow from the "
          + "inventory alone.",
      "Example: haproxy-sd render --inventory inventory.json > haproxy.cfg"
    })
final class RenderCommand implements Callable<Integer> {
  @ParentCommand HaproxySdCommand root;
  @Mixin SourceOptions source;
  @Mixin AwsOptions aws;
  @Mixin TemplateOptions template;

  @Option(names = "--output", paramLabel = "FILE",
      description = "Write the config to FILE atomically (temp file, fsync, rename) instead of standard output.")
  Path output;

  @Mixin StateDirOption stateDir;

  @Override
  public Integer call() throws Exception {
    Pipeline pipeline = root.pipeline(source, aws, template);
    pipeline.withRecordedSlots(stateDir.store(root.log()).recordedSlots().orElse(null));
    Rendered rendered = pipeline.render();
    if (output == null) {
      root.out.print(rendered.text());
      root.out.flush();
    } else {
      AtomicFile.write(output, rendered.bytes());
      root.log().debug("wrote " + output + " (sha256 " + rendered.sha256() + ")");
    }
    return ExitCode.OK.code;
  }
}
