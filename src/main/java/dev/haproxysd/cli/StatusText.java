package dev.haproxysd.cli;

import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.DrainingInstance;
import dev.haproxysd.state.LastRun;
import dev.haproxysd.state.PendingShrink;
import dev.haproxysd.state.QuarantinedConfig;
import dev.haproxysd.state.WatchStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** {@code status} for people: one labelled line per fact, times in UTC with their age. */
final class StatusText {
  private static final String INDENT = " ".repeat(17);

  private final StatusFacts facts;
  private final Instant now;
  private final PrintWriter out;

  StatusText(StatusFacts facts, Instant now, PrintWriter out) {
    this.facts = facts;
    this.now = now;
    this.out = out;
  }

  void write() {
    lastRun(facts.lastRun());
    facts.applied().optional().ifPresent(this::installed);
    facts.pending().optional().ifPresent(this::pending);
    for (QuarantinedConfig q : facts.quarantine().optional().orElse(List.of())) {
      line("quarantined", q.config().shortHex() + " failed " + when(q.failedAt()) + ": " + q.reason());
    }
    for (DrainingInstance d : facts.draining().optional().orElse(List.of())) {
      line("draining", draining(d));
    }
    MetricsTextfile.LastRun metrics = facts.metrics();
    if (metrics != null) {
      line("metrics file", "the latest run finished " + when(metrics.finishedAt()) + ", exit " + metrics.exitCode()
          + (metrics.inventoryDiscoveredAt() == null ? ""
              : "; its shared (S3) inventory was discovered by the publisher " + when(metrics.inventoryDiscoveredAt())));
    }
    facts.watch().optional().ifPresent(this::watch);
    if (facts.haproxy() != null) {
      StatusFacts.Haproxy h = facts.haproxy();
      line("haproxy", h.worker() == null ? "no answer from the " + h.describe() + ": " + h.problem()
          : "worker pid " + h.worker().pid() + " started " + when(h.worker().startedAt()) + " (" + h.describe()
              + ")" + (h.problem() == null ? "" : "; " + h.problem()));
    }
    facts.problems().forEach(p -> line("unreadable", p));
  }

  private void lastRun(LastRun run) {
    if (facts.lastRunFromStateOnly()) {
      line("last run", "exit " + run.exitCode() + (run.outcome() == null ? "" : ", " + run.outcome()) + ", at "
          + when(run.since()) + " (from state.json: no last-run.json yet)");
    } else if (run.succeeded()) {
      line("last run", "exit 0, no run failed since " + when(run.since()));
    } else {
      line("last run", "exit " + run.exitCode() + (run.outcome() == null ? "" : ", " + run.outcome())
          + ", every run since " + when(run.since()));
    }
    if (run.message() != null) {
      out.println(INDENT + run.message());
    }
  }

  private void installed(AppliedState s) {
    String how = switch (s.outcome()) {
      case APPLIED -> "applied";
      case ROLLED_BACK -> "restored after the reload of " + s.failedSha256().shortHex() + " failed";
      case ROLLBACK_FAILED -> "left after the reload of " + s.failedSha256().shortHex() + " and its rollback failed";
    };
    line("installed", s.configFile() + " sha256 " + s.configSha256().shortHex() + ", " + how + " "
        + when(s.appliedAt()) + "; haproxy runs it: " + proof(s.proof()));
  }

  /** How haproxy is known to run the recorded config, in the words of {@code status}. */
  static String proof(AppliedState.Proof proof) {
    return switch (proof) {
      case RELOAD -> "reloaded";
      case RUNTIME_API -> "runtime API";
      case ADOPTED -> "adopted";
      case NONE -> "assumed";
    };
  }

  private void pending(PendingShrink p) {
    line("pending shrink", p.servers() + " server" + (p.servers() == 1 ? "" : "s") + " to remove, seen in "
        + p.runs() + " consecutive run" + (p.runs() == 1 ? "" : "s") + " since " + when(p.firstSeen()) + "; "
        + confirms(p));
  }

  private String confirms(PendingShrink p) {
    if (facts.lastRunFromStateOnly()) {
      return "applied after --confirm-runs sightings, or by apply --force";
    }
    int needed = facts.lastRun().confirmRuns();
    if (needed == 0) {
      return "only apply --force applies it (--confirm-runs 0)";
    }
    int more = Math.max(0, needed - p.runs());
    return "applied by the run that sees it " + needed + " times (--confirm-runs " + needed + ", " + more
        + " more), or by apply --force";
  }

  private String draining(DrainingInstance d) {
    String text = d.group() + "/" + d.instance() + " since " + when(d.firstSeen())
        + (d.lastHeartbeat() == null ? "" : ", last heartbeat " + when(d.lastHeartbeat()));
    if (d.completed() != null) {
      return text + ", completed " + when(d.completed());
    }
    List<String> waits = new ArrayList<>();
    Instant min = facts.drainMinPasses(d);
    if (min != null && now.isBefore(min)) {
      waits.add("--drain-min until " + at(min));
    }
    Integer sessions = facts.haproxy() == null ? null : facts.haproxy().sessions().get(d.key());
    if (sessions == null) {
      waits.add("sessions not counted" + (facts.haproxy() == null ? " (no --runtime-api)" : ""));
    } else if (sessions > 0) {
      waits.add(sessions + " session" + (sessions == 1 ? "" : "s"));
    }
    return text + "; " + (waits.isEmpty() ? "nothing holds it: the next run completes it"
        : "waits for " + String.join(", ", waits)) + " (--drain-max completes it regardless)";
  }

  private void watch(WatchStatus w) {
    if (!facts.watchRunning()) {
      line("watch", "not running (pid " + w.pid() + " ended; its last cycle finished " + when(w.lastCycleFinishedAt())
          + ", exit " + w.lastExitCode() + ")");
      return;
    }
    line("watch", "pid " + w.pid() + ", every " + Durations.format(w.interval()) + " since " + when(w.startedAt())
        + ": " + w.cycles() + " cycle" + (w.cycles() == 1 ? "" : "s") + ", the last finished "
        + when(w.lastCycleFinishedAt()) + " (exit " + w.lastExitCode() + ")"
        + (w.failuresInARow() > 0 ? ", " + w.failuresInARow() + " AWS failures in a row" : "") + ", next at "
        + at(w.nextCycleAt()));
  }

  private void line(String label, String text) {
    out.println(String.format("%-16s %s", label, text));
  }

  static String at(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** {@code 2026-12-08T01:00:00Z (3m ago)}. */
  private String when(Instant instant) {
    Duration age = Duration.between(instant, now).truncatedTo(ChronoUnit.SECONDS);
    return at(instant) + (age.isNegative() ? "" : " (" + Durations.format(age) + " ago)");
  }
}
