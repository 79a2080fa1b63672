package dev.haproxysd.cli;

import dev.haproxysd.model.Log;
import dev.haproxysd.state.StateStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The installed config and the state directory that records what apply put there. */
final class TargetOptions {
  @Option(names = {"-c", "--config-file"}, paramLabel = "FILE", defaultValue = "/etc/haproxy/haproxy.cfg",
      description = "The installed config haproxy reads (default: ${DEFAULT-VALUE}).")
  Path configFile;

  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/haproxy-sd",
      description = "What apply installed last: config hash, inventory, time, outcome, last-known-good config, "
          + "backups and the lock (default: ${DEFAULT-VALUE}). Missing or corrupt state is a warning.")
  Path stateDir;

  StateStore state(Log log) {
    return new StateStore(stateDir, log);
  }
}
