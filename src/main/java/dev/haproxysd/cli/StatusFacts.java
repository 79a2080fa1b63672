package dev.haproxysd.cli;

import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.pipeline.InstanceSessions;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.DrainingInstance;
import dev.haproxysd.state.LastRun;
import dev.haproxysd.state.PendingShrink;
import dev.haproxysd.state.QuarantinedConfig;
import dev.haproxysd.state.StateReader;
import dev.haproxysd.state.WatchStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * Everything {@code status} shows, read once: the state directory's files (each absent, read or unreadable), whether
 * a watching process still runs, and with a runtime API what haproxy says. No lock, no write, no AWS call.
 *
 * @param lastRun how the last run ended, or null when neither {@code last-run.json} nor {@code state.json} says
 * @param lastRunFromStateOnly the last run is known from {@code state.json} alone (written by an older haproxy-sd)
 * @param watchRunning the process {@code watch} names still runs
 * @param metrics the last run as the metrics file says, or null without one
 * @param haproxy what haproxy said through the runtime API, or null without one
 * @param problems files that could not be used and why, one line each
 */
record StatusFacts(LastRun lastRun, boolean lastRunFromStateOnly,
    StateReader.Read<AppliedState> applied, StateReader.Read<PendingShrink> pending,
    StateReader.Read<List<QuarantinedConfig>> quarantine, StateReader.Read<List<DrainingInstance>> draining,
    StateReader.Read<WatchStatus> watch, boolean watchRunning, MetricsTextfile.LastRun metrics, Haproxy haproxy,
    List<String> problems) {

  /**
   * What haproxy said, read-only.
   *
   * @param describe the socket, as the runtime API names it
   * @param worker its current worker, or null when it did not answer
   * @param sessions sessions on each draining instance by {@link DrainingInstance#key}; absent when not counted
   * @param problem why it did not answer, or null
   */
  record Haproxy(String describe, RuntimeApi.Worker worker, Map<String, Integer> sessions, String problem) {}

  /** @param metricsFile apply's {@code --metrics-file}, or null */
  static StatusFacts read(StateReader state, RuntimeApi api, Path metricsFile) {
    StateReader.Read<LastRun> recorded = state.lastRun();
    StateReader.Read<AppliedState> applied = state.applied();
    LastRun lastRun = recorded.value();
    boolean fromState = false;
    if (lastRun == null && applied.value() != null) {
      lastRun = fromState(applied.value());
      fromState = true;
    }
    StateReader.Read<PendingShrink> pending = state.pendingShrink();
    StateReader.Read<List<QuarantinedConfig>> quarantine = state.quarantine();
    StateReader.Read<List<DrainingInstance>> draining = state.draining();
    StateReader.Read<WatchStatus> watch = state.watch();
    List<String> problems = new ArrayList<>();
    for (StateReader.Read<?> read : List.of(recorded, applied, pending, quarantine, draining, watch)) {
      if (read.problem() != null) {
        problems.add(read.name() + ": " + read.problem());
      }
    }
    MetricsTextfile.LastRun metrics = null;
    if (metricsFile != null) {
      try {
        metrics = MetricsTextfile.read(metricsFile);
      } catch (IOException e) {
        problems.add(Failures.message(e));
      }
    }
    Haproxy haproxy = api == null ? null : haproxy(api, state, applied.value(), draining.optional().orElse(List.of()),
        problems);
    return new StatusFacts(lastRun, fromState, applied, pending, quarantine, draining, watch, watch.optional().map(StatusFacts::running).orElse(false), metrics, haproxy, List.copyOf(problems));
  }

  /** A run recorded only in {@code state.json} (an older haproxy-sd): its outcome says how it ended, no more. */
  private static LastRun fromState(AppliedState s) {
    int code = switch (s.outcome()) {
      case APPLIED -> ExitCode.OK.code;
      case ROLLED_BACK -> ExitCode.RELOAD_FAILED.code;
      case ROLLBACK_FAILED -> ExitCode.ROLLBACK_FAILED.code;
    };
    return new LastRun(s.appliedAt(), code, code == 0 ? null : StatusCommand.name(s.outcome()), null, 0, null);
  }

  /** The pid runs, and started no later than the watch said it did (a reused pid started after). */
  private static boolean running(WatchStatus watch) {
    return ProcessHandle.of(watch.pid()).filter(ProcessHandle::isAlive)
        .map(p -> p.info().startInstant().map(start -> !start.isAfter(watch.startedAt().plusSeconds(1)))
            .orElse(true))
        .orElse(false);
  }

  private static Haproxy haproxy(RuntimeApi api, StateReader state, AppliedState applied,
      List<DrainingInstance> draining, List<String> problems) {
    RuntimeApi.Worker worker;
    try {
      worker = api.worker();
    } catch (IOException e) {
      return new Haproxy(api.describe(), null, Map.of(), Failures.message(e));
    }
    Map<String, Integer> sessions = new LinkedHashMap<>();
    List<DrainingInstance> waiting = draining.stream().filter(d -> d.completed() == null).toList();
    if (!waiting.isEmpty()) {
      StateReader.Read<Inventory> inventory = applied == null ? null : state.inventory(applied);
      if (inventory == null || inventory.value() == null) {
        problems.add("inventory.json: " + (inventory == null || inventory.problem() == null
            ? "none recorded" : inventory.problem()) + " (the draining instances' sessions cannot be counted)");
      } else {
        try {
          Map<String, RuntimeApi.ServerStatus> servers = api.serversState();
          Map<String, Integer> scur = api.sessions();
          for (DrainingInstance d : waiting) {
            OptionalInt n = InstanceSessions.count(inventory.value(), d.instance(), servers, scur);
            n.ifPresent(count -> sessions.put(d.key(), count));
          }
        } catch (IOException e) {
          return new Haproxy(api.describe(), worker, Map.of(), Failures.message(e));
        }
      }
    }
    return new Haproxy(api.describe(), worker, Map.copyOf(sessions), null);
  }

  /** No run is known: nothing to report on. */
  boolean nothingRecorded() {
    return lastRun == null;
  }

  /** When a draining instance's {@code --drain-min} passes, if the last run said what it is. */
  Instant drainMinPasses(DrainingInstance d) {
    Duration min = lastRun == null ? null : lastRun.drainMin();
    return min == null ? null : d.firstSeen().plus(min);
  }
}
