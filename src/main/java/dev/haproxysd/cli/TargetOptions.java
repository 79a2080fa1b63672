package dev.haproxysd.cli;

import dev.haproxysd.model.Log;
import dev.haproxysd.state.StateStore;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The installed config and the state directory that records what apply put there. */
final class TargetOptions {
  @Option(names = {"-c", "--config-file"}, paramLabel = "FILE", defaultValue = "/etc/haproxy/haproxy.cfg",
      description = "The installed config haproxy reads (default: ${DEFAULT-VALUE}).")
  Path configFile;

  @Mixin StateDirOption stateDir;

  StateStore state(Log log) {
    return stateDir.store(log);
  }
}
