package dev.haproxysd.cli;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Service;
import dev.haproxysd.pipeline.GuardBreaches;
import dev.haproxysd.pipeline.LifecycleReport;
import dev.haproxysd.pipeline.Outcome;
import dev.haproxysd.state.PendingShrink;
import dev.haproxysd.state.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code --metrics-file}: the last apply run in node_exporter's textfile-collector format, replaced atomically so
 * the collector never reads half a file (its temp file ends in {@code .tmp}, which the collector ignores).
 */
final class MetricsTextfile {
  private MetricsTextfile() {}

  /**
   * @param outcome how the run ended (also a failure's outcome), or null when it failed before apply decided
   * @param inventory what was discovered, or null when the run failed before discovery finished
   * @param inventoryDiscoveredAt when a shared (S3) inventory was discovered by its publisher, or null; known also
   *     when the run refused it as too old
   * @param runtimeChanges servers changed through the runtime API
   * @param refusal what the guards refused, or null
   * @param pendingShrink the shrink waiting for confirmation after the run, or null
   * @param lifecycle what the lifecycle work did, or null when no --lifecycle-hook was given
   */
  record Run(Instant finishedAt, int exitCode, Outcome outcome, Duration duration, ApiCalls apiCalls,
      Inventory inventory, Instant inventoryDiscoveredAt, int runtimeChanges, GuardBreaches refusal,
      PendingShrink pendingShrink, LifecycleReport lifecycle) {
    Run(Instant finishedAt, int exitCode, Outcome outcome, Duration duration, ApiCalls apiCalls,
        Inventory inventory, Instant inventoryDiscoveredAt) {
      this(finishedAt, exitCode, outcome, duration, apiCalls, inventory, inventoryDiscoveredAt, 0, null, null, null);
    }

    boolean changed() {
      return outcome != null && !outcome.failed() && outcome.wouldChange();
    }

    boolean quarantined() {
      return outcome != null && outcome.leavesQuarantined();
    }

    boolean refused(GuardBreaches.Kind kind) {
      return refusal != null && refusal.shrink() != null && refusal.shrink().kind() == kind;
    }

    boolean refusedEmpty() {
      return refusal != null && !refusal.emptied().isEmpty();
    }

    boolean installed() {
      return outcome != null && outcome.installed();
    }

    boolean reloaded() {
      return outcome != null && outcome.reloaded();
    }
  }

  /**
   * What {@code status} reads back from a metrics file: when the last run finished, its exit code, and when the
   * shared inventory it read was discovered (null without one).
   */
  record LastRun(Instant finishedAt, int exitCode, Instant inventoryDiscoveredAt) {}

  /**
   * Reads the last run back from a file {@link #write} wrote.
   *
   * @throws IOException when it cannot be read or lacks the last run's time or exit code
   */
  static LastRun read(Path file) throws IOException {
    Map<String, String> gauges = new HashMap<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String[] fields = line.split(" ");
      if (fields.length == 2 && !line.startsWith("#")) {
        gauges.put(fields[0], fields[1]);
      }
    }
    try {
      return new LastRun(instant(gauges.get("haproxy_sd_last_run_timestamp_seconds")),
          Integer.parseInt(gauges.get("haproxy_sd_last_run_exit_code")),
          gauges.containsKey("haproxy_sd_inventory_discovered_timestamp_seconds")
              ? instant(gauges.get("haproxy_sd_inventory_discovered_timestamp_seconds")) : null);
    } catch (NullPointerException | NumberFormatException e) {
      throw new IOException(file + ": not a haproxy-sd metrics file (no last run time or exit code)", e);
    }
  }

  private static Instant instant(String seconds) {
    return Instant.ofEpochMilli(new java.math.BigDecimal(seconds).movePointRight(3).longValueExact());
  }

  static void write(Path file, Run run) throws IOException {
    AtomicFile.write(file, format(run).getBytes(StandardCharsets.UTF_8));
  }

  static String format(Run run) {
    StringBuilder out = new StringBuilder();
    gauge(out, "haproxy_sd_last_run_timestamp_seconds", "Unix time the last apply run finished.",
        seconds(run.finishedAt().toEpochMilli()));
    gauge(out, "haproxy_sd_last_run_success", "1 if the last apply run exited 0, else 0.",
        run.exitCode() == 0 ? "1" : "0");
    gauge(out, "haproxy_sd_last_run_exit_code", "Exit code of the last apply run (see haproxy-sd --help).",
        Integer.toString(run.exitCode()));
    gauge(out, "haproxy_sd_last_run_changed", "1 if the last apply run found the config changed.",
        bit(run.changed()));
    gauge(out, "haproxy_sd_last_run_installed", "1 if the last apply run installed a new config file.",
        bit(run.installed()));
    gauge(out, "haproxy_sd_last_run_reloaded", "1 if the last apply run reloaded haproxy and verified it.",
        bit(run.reloaded()));
    gauge(out, "haproxy_sd_last_run_runtime_changes", "Servers the last apply run changed through the runtime API.",
        Integer.toString(run.runtimeChanges()));
    header(out, "haproxy_sd_last_run_refused", "1 if a guard refused the last apply run for this reason: a service "
        + "would be empty, servers missing while their Auto Scaling group wants them, a shrink not yet confirmed.");
    refused(out, "empty", run.refusedEmpty());
    refused(out, "unexplained", run.refused(GuardBreaches.Kind.UNEXPLAINED));
    refused(out, "unconfirmed", run.refused(GuardBreaches.Kind.UNCONFIRMED));
    PendingShrink pending = run.pendingShrink();
    gauge(out, "haproxy_sd_pending_shrink_servers", "Servers a shrink waiting for --confirm-runs would remove (0: "
        + "none pending).", Integer.toString(pending == null ? 0 : pending.servers()));
    gauge(out, "haproxy_sd_pending_shrink_runs", "Consecutive runs that saw the pending shrink (0: none pending).",
        Integer.toString(pending == null ? 0 : pending.runs()));
    if (pending != null) {
      gauge(out, "haproxy_sd_pending_shrink_first_seen_timestamp_seconds", "Unix time a run first saw the pending "
          + "shrink.", seconds(pending.firstSeen().toEpochMilli()));
    }
    gauge(out, "haproxy_sd_quarantined", "1 if the last apply run's rendered config failed (now or before) and is "
        + "not tried again until the inputs change or --force.", bit(run.quarantined()));
    gauge(out, "haproxy_sd_last_run_duration_seconds", "How long the last apply run took.",
        seconds(run.duration().toMillis()));
    gauge(out, "haproxy_sd_last_run_api_calls", "API calls discovery made in the last apply run (pages count).",
        Integer.toString(run.apiCalls().total()));
    gauge(out, "haproxy_sd_last_run_api_retries", "Retried API attempts in the last apply run.",
        Integer.toString(run.apiCalls().retries()));
    if (!run.apiCalls().calls().isEmpty()) {
      header(out, "haproxy_sd_last_run_api_calls_by_operation", "API calls in the last apply run, by operation.");
      run.apiCalls().calls().forEach((operation, n) -> out.append("haproxy_sd_last_run_api_calls_by_operation"
          + "{operation=\"").append(label(operation)).append("\"} ").append(n).append('\n'));
    }
    if (run.inventoryDiscoveredAt() != null) {
      gauge(out, "haproxy_sd_inventory_discovered_timestamp_seconds", "Unix time the publisher discovered the S3 "
          + "inventory the last apply run read.", seconds(run.inventoryDiscoveredAt().toEpochMilli()));
      long age = Math.max(0, Duration.between(run.inventoryDiscoveredAt(), run.finishedAt()).toMillis());
      gauge(out, "haproxy_sd_inventory_age_seconds", "Age of the S3 inventory when the last apply run finished "
          + "(see --max-inventory-age).", seconds(age));
    }
    if (run.inventory() != null) {
      gauge(out, "haproxy_sd_services", "Services in the last discovered inventory.",
          Integer.toString(run.inventory().services().size()));
      header(out, "haproxy_sd_servers", "Servers per service in the last discovered inventory.");
      for (Service service : run.inventory().services()) {
        out.append("haproxy_sd_servers{service=\"").append(label(service.name())).append("\"} ")
            .append(service.servers().size()).append('\n');
      }
    }
    LifecycleReport lifecycle = run.lifecycle();
    if (lifecycle != null) {
      gauge(out, "haproxy_sd_lifecycle_draining", "Instances waiting in Terminating:Wait that this balancer has not "
          + "completed yet.", Integer.toString(lifecycle.draining()));
      gauge(out, "haproxy_sd_lifecycle_completions", "Lifecycle actions the last apply run completed (or found "
          + "completed by another balancer).", Integer.toString(lifecycle.completions().size()));
      gauge(out, "haproxy_sd_lifecycle_sessions_cut", "Sessions still open on instances the last apply run completed "
          + "at --drain-max.", Integer.toString(lifecycle.completions().stream()
              .mapToInt(c -> Math.max(0, c.sessionsCut())).sum()));
      gauge(out, "haproxy_sd_lifecycle_heartbeats", "Lifecycle heartbeats the last apply run sent.",
          Integer.toString(lifecycle.heartbeats()));
      gauge(out, "haproxy_sd_lifecycle_failures", "Lifecycle calls that failed in the last apply run (retried by the "
          + "next).", Integer.toString(lifecycle.failures().size()));
      if (lifecycle.fleet() != null) {
        gauge(out, "haproxy_sd_drain_live_balancers", "Balancers with a live drain report, this one included, as the "
            + "last apply run read them (0: not read, nothing waited).", Integer.toString(
                lifecycle.fleet().liveBalancers()));
        gauge(out, "haproxy_sd_drain_waiting_on_others", "Instances drained here whose lifecycle action waits for "
            + "other balancers.", Integer.toString(lifecycle.fleet().waitingOnOthers()));
        gauge(out, "haproxy_sd_drain_sessions", "Sessions on waiting instances over every live balancer.",
            Integer.toString(lifecycle.fleet().sessions()));
      }
    }
    return out.toString();
  }

  private static void refused(StringBuilder out, String kind, boolean refused) {
    out.append("haproxy_sd_last_run_refused{kind=\"").append(kind).append("\"} ").append(bit(refused)).append('\n');
  }

  private static void gauge(StringBuilder out, String name, String help, String value) {
    header(out, name, help);
    out.append(name).append(' ').append(value).append('\n');
  }

  private static void header(StringBuilder out, String name, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" gauge\n");
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%d.%03d", millis / 1000, millis % 1000);
  }

  private static String bit(boolean b) {
    return b ? "1" : "0";
  }

  private static String label(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
