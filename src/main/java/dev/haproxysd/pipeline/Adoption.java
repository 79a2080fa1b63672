package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.haproxy.ProcessStarts;
import dev.haproxysd.haproxy.ReloadStrategy;
import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.haproxy.ServerLines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Proves that a running haproxy runs the installed config although no run recorded it (the first run, a lost state
 * directory, an haproxy started by systemd): its worker read its config after the file was last written (to the
 * clock tick when haproxy runs on this host and was started afresh, see {@link ProcessStarts}: the bootstrap case
 * {@code render > haproxy.cfg && systemctl start haproxy} falls within one second), the master (when
 * known) reports no failed reload and lists that worker, and {@code show servers state} has exactly the config's
 * servers, at the config's addresses and ports, in maintenance exactly where the config says {@code disabled}.
 * Anything else, or any error, is "not proved": the caller then keeps assuming nothing.
 */
final class Adoption {
  private final RuntimeApi api;
  private final ReloadStrategy reload;
  private final ProcessStarts starts = ProcessStarts.system();

  /** @param reload the reload strategy, for its master socket; or null */
  Adoption(RuntimeApi api, ReloadStrategy reload) {
    this.api = api;
    this.reload = reload;
  }

  /** What proved it, or why it could not be proved. */
  record Verdict(boolean proved, String detail) {}

  Verdict check(Path file, String installed) {
    try {
      Instant written = Files.getLastModifiedTime(file).toInstant();
      RuntimeApi.Worker worker = api.worker();
      Instant started = starts.configReadNoEarlierThan(worker.pid(), worker.startedAt());
      if (started.isBefore(written)) {
        return no("worker " + worker.pid() + " started at " + started + ", before " + file + " was written ("
            + written + ")");
      }
      Optional<ProcStatus> processes = reload == null ? Optional.empty() : reload.processes();
      if (processes.isPresent()) {
        ProcStatus proc = processes.get();
        if (proc.failed() > 0) {
          return no("the master reports a failed reload ([failed: " + proc.failed() + "])");
        }
        if (!proc.workerPids().contains(worker.pid())) {
          return no("worker " + worker.pid() + " is not among the master's workers " + proc.workerPids());
        }
      }
      Optional<String> difference = serversDiffer(ServerLines.of(installed), api.serversState());
      if (difference.isPresent()) {
        return no(difference.get());
      }
      return new Verdict(true, "worker " + worker.pid() + " started " + started + ", after " + file
          + " was written; its servers are the file's" + (processes.isPresent() ? "; no failed reload" : ""));
    } catch (IOException | RuntimeException e) {
      return no(e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  private static Verdict no(String why) {
    return new Verdict(false, why);
  }

  /** The first way haproxy's servers differ from the config's server lines, if any. */
  static Optional<String> serversDiffer(ServerLines config, Map<String, RuntimeApi.ServerStatus> running) {
    Set<String> wanted = new TreeSet<>();
    for (ServerLines.ServerLine line : config.servers()) {
      wanted.add(line.id());
      RuntimeApi.ServerStatus status = running.get(line.id());
      if (status == null) {
        return Optional.of("haproxy has no server " + line.id());
      }
      if (line.elsewhereThan(status)) {
        return Optional.of(line.id() + " runs at " + status.describe() + ", the file says "
            + line.address().getHostAddress() + ":" + line.port());
      }
      if (line.disabled() != status.maint()) {
        return Optional.of(line.id() + " is " + status.describe() + ", the file says "
            + (line.disabled() ? "disabled" : "enabled"));
      }
    }
    for (String id : running.keySet()) {
      if (!wanted.contains(id)) {
        return Optional.of("haproxy runs server " + id + ", which the file does not have");
      }
    }
    return Optional.empty();
  }
}
