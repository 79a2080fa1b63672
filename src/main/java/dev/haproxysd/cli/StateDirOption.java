package dev.haproxysd.cli;

import dev.haproxysd.model.Log;
import dev.haproxysd.state.StateStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --state-dir}, declared once for every command that reads or writes the state directory. */
final class StateDirOption {
  @Option(names = "--state-dir", paramLabel = "DIR", defaultValue = "/var/lib/haproxy-sd",
      description = "What apply installed last: config hash, inventory, server slots, time, outcome, "
          + "last-known-good config, backups and the lock (default: ${DEFAULT-VALUE}). apply writes it; diff and "
          + "render only read it (render puts each server into the slot apply recorded, so it shows what apply "
          + "installs). Missing or corrupt state is a warning.")
  Path stateDir;

  StateStore store(Log log) {
    return new StateStore(stateDir, log);
  }
}
