package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.haproxy.ServerLines;
import dev.haproxysd.model.Log;
import dev.haproxysd.state.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The config's {@code server-state-file}, which haproxy loads at a reload: present before {@code haproxy -c} sees a
 * candidate (a missing one is a warning there), filled just before a reload with the state of the servers the new
 * config keeps exactly as they are, and emptied where nothing trustworthy can be saved. A file that cannot be
 * written is a warning: it only carries health and drain across a reload.
 */
final class ServerStateFile {
  /** A server-state-file with the version line only: haproxy loads it silently and restores nothing. */
  private static final String NO_SERVER_STATE = "1\n";

  private final RuntimeApi runtimeApi;
  private final Log log;

  /** @param runtimeApi where the running servers' state is read, or null: the file is only ever emptied */
  ServerStateFile(RuntimeApi runtimeApi, Log log) {
    this.runtimeApi = runtimeApi;
    this.log = log;
  }

  /** haproxy -c warns about a missing server-state-file; an empty one (version line only) is silent. */
  void ensureFor(String config) {
    Optional<Path> file = ServerLines.of(config).serverStateFile();
    if (file.isPresent() && !Files.exists(file.get()) && Files.isDirectory(file.get().getParent())) {
      write(file.get(), NO_SERVER_STATE);
    }
  }

  /**
   * Just before a reload: the current state of every server the new config keeps exactly as it is (health, drain),
   * and nothing for servers that change — haproxy would apply a saved address, port or weight over the new file's.
   * Without the runtime API the file is emptied, never left stale.
   */
  void saveBeforeReload(Plan plan) {
    ServerLines desired = ServerLines.of(plan.desired().text());
    Optional<Path> file = desired.serverStateFile();
    if (file.isEmpty()) {
      return;
    }
    String content = NO_SERVER_STATE;
    if (runtimeApi != null) {
      try {
        String dump = runtimeApi.serversStateText();
        content = new RuntimeUpdate(runtimeApi, desired, RuntimeUpdate.statesOf(plan.inventory(), plan.slots()))
            .keptState(dump);
      } catch (IOException e) {
        log.warn("cannot save server state before the reload (" + e.getMessage() + "): " + file.get()
            + " is emptied, so servers start as the config says");
      }
    }
    write(file.get(), content);
  }

  /** Before a rollback reloads {@code config}: the saved state is of the config that failed. */
  void emptyFor(String config) {
    ServerLines.of(config).serverStateFile().ifPresent(file -> write(file, NO_SERVER_STATE));
  }

  private void write(Path file, String content) {
    try {
      AtomicFile.write(file, content.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      log.warn("cannot write the server-state-file " + file + ": " + e.getMessage());
    }
  }
}
