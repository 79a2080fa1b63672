package dev.haproxysd.cli;

import com.google.gson.stream.JsonWriter;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.DrainingInstance;
import dev.haproxysd.state.LastRun;
import dev.haproxysd.state.PendingShrink;
import dev.haproxysd.state.QuarantinedConfig;
import dev.haproxysd.state.WatchStatus;
import java.io.IOException;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * {@code status -o json}: the same facts as the text, for scripts. Versioned; fields are only ever added; an absent
 * fact is {@code null} (or an empty list).
 */
final class StatusJson {
  static final int VERSION = 1;

  private StatusJson() {}

  static void write(StatusFacts facts, Path stateDir, Instant now, Writer out) throws IOException {
    JsonWriter json = new JsonWriter(out);
    json.setIndent("  ");
    json.beginObject();
    json.name("version").value(VERSION);
    json.name("stateDir").value(stateDir.toString());
    json.name("now").value(now.toString());
    lastRun(json, facts);
    json.name("installed");
    installed(json, facts.applied().value());
    json.name("pendingShrink");
    pending(json, facts.pending().value(), facts);
    json.name("quarantined").beginArray();
    for (QuarantinedConfig q : facts.quarantine().optional().orElse(List.of())) {
      json.beginObject();
      json.name("sha256").value(q.config().hex());
      json.name("failedAt").value(q.failedAt().toString());
      json.name("reason").value(q.reason());
      json.endObject();
    }
    json.endArray();
    json.name("draining").beginArray();
    for (DrainingInstance d : facts.draining().optional().orElse(List.of())) {
      draining(json, d, facts);
    }
    json.endArray();
    json.name("metricsFile");
    MetricsTextfile.LastRun metrics = facts.metrics();
    if (metrics == null) {
      json.nullValue();
    } else {
      json.beginObject();
      json.name("lastRunFinishedAt").value(metrics.finishedAt().toString());
      json.name("lastRunExitCode").value(metrics.exitCode());
      Instant discovered = metrics.inventoryDiscoveredAt();
      json.name("inventoryDiscoveredAt").value(discovered == null ? null : discovered.toString());
      json.name("inventoryAgeSeconds").value(discovered == null ? null
          : Math.max(0, Duration.between(discovered, now).toSeconds()));
      json.endObject();
    }
    json.name("watch");
    watch(json, facts.watch().value(), facts.watchRunning());
    json.name("haproxy");
    haproxy(json, facts.haproxy());
    json.name("unreadable").beginArray();
    for (String problem : facts.problems()) {
      json.value(problem);
    }
    json.endArray();
    json.endObject();
    json.flush();
    out.write('\n');
  }

  private static void lastRun(JsonWriter json, StatusFacts facts) throws IOException {
    LastRun run = facts.lastRun();
    json.name("lastRun").beginObject();
    json.name("since").value(run.since().toString());
    json.name("succeeded").value(run.succeeded());
    json.name("exitCode").value(run.exitCode());
    json.name("outcome").value(run.outcome());
    json.name("message").value(run.message());
    json.name("recordedIn").value(facts.lastRunFromStateOnly() ? "state.json" : "last-run.json");
    json.endObject();
  }

  private static void installed(JsonWriter json, AppliedState s) throws IOException {
    if (s == null) {
      json.nullValue();
      return;
    }
    json.beginObject();
    json.name("configFile").value(s.configFile());
    json.name("sha256").value(s.configSha256().hex());
    json.name("appliedAt").value(s.appliedAt().toString());
    json.name("outcome").value(StatusCommand.name(s.outcome()));
    json.name("failedSha256").value(s.failedSha256() == null ? null : s.failedSha256().hex());
    json.name("runs").value(StatusText.proof(s.proof()));
    json.endObject();
  }

  private static void pending(JsonWriter json, PendingShrink p, StatusFacts facts) throws IOException {
    if (p == null) {
      json.nullValue();
      return;
    }
    json.beginObject();
    json.name("servers").value(p.servers());
    json.name("runs").value(p.runs());
    json.name("firstSeen").value(p.firstSeen().toString());
    json.name("confirmRuns");
    if (facts.lastRunFromStateOnly()) {
      json.nullValue();
    } else {
      json.value(facts.lastRun().confirmRuns());
    }
    json.endObject();
  }

  private static void draining(JsonWriter json, DrainingInstance d, StatusFacts facts) throws IOException {
    json.beginObject();
    json.name("group").value(d.group());
    json.name("instance").value(d.instance());
    json.name("firstSeen").value(d.firstSeen().toString());
    json.name("lastHeartbeat").value(d.lastHeartbeat() == null ? null : d.lastHeartbeat().toString());
    json.name("completed").value(d.completed() == null ? null : d.completed().toString());
    Instant min = facts.drainMinPasses(d);
    json.name("drainMinPasses").value(min == null ? null : min.toString());
    Integer sessions = facts.haproxy() == null ? null : facts.haproxy().sessions().get(d.key());
    json.name("sessions").value(sessions);
    json.endObject();
  }

  private static void watch(JsonWriter json, WatchStatus w, boolean running) throws IOException {
    if (w == null) {
      json.nullValue();
      return;
    }
    json.beginObject();
    json.name("pid").value(w.pid());
    json.name("running").value(running);
    json.name("startedAt").value(w.startedAt().toString());
    json.name("intervalSeconds").value(w.interval().toMillis() / 1000.0);
    json.name("cycles").value(w.cycles());
    json.name("lastCycleStartedAt").value(w.lastCycleStartedAt().toString());
    json.name("lastCycleFinishedAt").value(w.lastCycleFinishedAt().toString());
    json.name("lastExitCode").value(w.lastExitCode());
    json.name("failuresInARow").value(w.failuresInARow());
    json.name("nextCycleAt").value(w.nextCycleAt().toString());
    json.endObject();
  }

  private static void haproxy(JsonWriter json, StatusFacts.Haproxy h) throws IOException {
    if (h == null) {
      json.nullValue();
      return;
    }
    json.beginObject();
    json.name("runtimeApi").value(h.describe());
    json.name("workerPid").value(h.worker() == null ? null : h.worker().pid());
    json.name("workerStartedAt").value(h.worker() == null ? null : h.worker().startedAt().toString());
    json.name("problem").value(h.problem());
    json.endObject();
  }
}
