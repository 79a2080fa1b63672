package dev.haproxysd.cli;

import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.model.Log;
import dev.haproxysd.pipeline.ApplyResult;
import dev.haproxysd.pipeline.GuardBreaches;
import dev.haproxysd.pipeline.LifecycleReport;
import dev.haproxysd.pipeline.LifecycleSettings;
import dev.haproxysd.pipeline.Outcome;
import dev.haproxysd.pipeline.Plan;
import dev.haproxysd.pipeline.Route;
import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.state.QuarantinedConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The words of {@code apply}: what the pipeline reports as facts (an {@link ApplyResult}, guard breaches), said on
 * stderr with the options an operator would reach for. Passes the run's phases on to {@code phases}.
 *
 * @param phases told of the run's phases: nothing in production, a pause in the fault tests
 */
record ApplyReport(Log log, RunObserver phases) implements RunObserver {

  @Override
  public void reached(Phase phase) {
    phases.reached(phase);
  }

  @Override
  public void guardsUnchecked() {
    log.warn("no recorded inventory to compare with: the empty and --max-removal guards cannot check this run");
  }

  @Override
  public void guardsOverridden(GuardBreaches breaches) {
    log.warn("--force: applying although " + what(breaches));
  }

  @Override
  public void shrinkConfirmed(int removed, int total, GuardBreaches.Sighting sighting) {
    log.info("applying a shrink of " + removed + " of " + total + " servers beyond --max-removal: seen in "
        + sighting.runs() + " consecutive runs since " + at(sighting.firstSeen()) + " (--confirm-runs "
        + sighting.needed() + ")");
  }

  @Override
  public void adopted(String how) {
    log.info("haproxy runs the installed config (" + how + "): recorded; the next change may use --runtime-api");
  }

  @Override
  public void notAdopted(String why) {
    log.debug("cannot prove haproxy runs the installed config (" + why + "): the next change reloads");
  }

  /** The one stderr line of a run whose candidate failed before. */
  static String quarantined(QuarantinedConfig config) {
    return "still the config that failed at " + at(config.failedAt()) + ": " + config.reason()
        + "; change the inputs or use --force";
  }

  private static String at(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  /** The one stderr line of a refused run. */
  static String refused(GuardBreaches breaches) {
    return "guard refused: " + what(breaches)
        + "; nothing was written or reloaded (check discovery; --force applies it once)";
  }

  private static String what(GuardBreaches breaches) {
    List<String> problems = new ArrayList<>();
    for (GuardBreaches.Emptied e : breaches.emptied()) {
      problems.add("service " + e.service() + " had " + e.had() + " server" + (e.had() == 1 ? "" : "s")
          + " and would have none (--allow-empty permits it)");
    }
    GuardBreaches.Shrink shrink = breaches.shrink();
    if (shrink != null) {
      problems.add(shrink(shrink));
    }
    List<String> removed = new ArrayList<>(breaches.removed());
    if (breaches.notListed() > 0) {
      removed.add("and " + breaches.notListed() + " more");
    }
    return String.join("; ", problems) + " (removed: " + (removed.isEmpty() ? "none" : String.join(" ", removed))
        + ")";
  }

  private static String shrink(GuardBreaches.Shrink shrink) {
    String share = shrink.removed() + " of " + shrink.total() + " servers (" + shrink.percent() + "%)";
    String limit = "more than --max-removal " + shrink.maxPercent() + "%";
    if (shrink.kind() == GuardBreaches.Kind.UNEXPLAINED) {
      List<String> groups = new ArrayList<>();
      for (GuardBreaches.Shortfall s : shrink.shortfalls()) {
        groups.add(s.service() + (s.group().isEmpty() ? "" : " (group " + s.group() + ")") + " wants " + s.desired()
            + ", would serve " + s.servers());
      }
      return share + " are missing while their Auto Scaling group still wants them (" + String.join(", ", groups)
          + "), " + limit + ": instances died, a partial answer, or a selection or tag typo";
    }
    GuardBreaches.Sighting seen = shrink.sighting();
    String when = seen.needed() == 0
        ? "--confirm-runs 0 never applies it"
        : "seen in " + seen.runs() + " of " + seen.needed() + " consecutive runs since " + at(seen.firstSeen())
            + " (--confirm-runs)";
    return share + " would be removed by a source without desired capacity, " + limit + "; " + when;
  }

  /** The log lines of a run that changed something. */
  void changed(ApplyResult result, Path target, String reloadedVia) {
    Plan plan = result.plan();
    String sha = plan.desired().sha256().shortHex();
    Outcome outcome = result.outcome();
    switch (outcome) {
      case RUNTIME_ONLY:
        log.info("runtime changes: " + result.runtimeChanges() + ", reload: no (installed " + target + ", sha256 "
            + sha + ", planned " + result.route().runtimeChanges() + ")");
        return;
      case INSTALLED:
      case RECORDED:
        log.info("runtime changes: 0, reload: no (no --reload given; " + whyReload(result) + ")");
        log.info((outcome == Outcome.INSTALLED ? "installed " + target : target + " was already in place")
            + " (sha256 " + sha + "); no --reload given: haproxy was NOT reloaded");
        return;
      case INSTALLED_AND_RELOADED:
      case RELOADED:
        if (!result.reload().workerProved()) {
          log.warn("cannot prove the reload took effect (no master socket, no stats socket in the config): "
              + "checked the listeners only; pass --master-socket PATH");
        }
        log.info("runtime changes: 0, reload: yes (" + whyReload(result) + ")");
        log.info((outcome == Outcome.INSTALLED_AND_RELOADED ? "installed " + target
            : "reloaded " + target + " (it was in place but not applied)")
            + " (sha256 " + sha + "), reloaded via " + reloadedVia + ": " + result.reload());
        return;
      default:
        return;
    }
  }

  private static String whyReload(ApplyResult result) {
    if (result.fallback() != null) {
      return result.fallback();
    }
    Route route = result.route();
    return route.path() == Route.Path.RELOAD_NO_RUNTIME_API ? "no --runtime-api" : route.reason();
  }

  /**
   * The lines of the lifecycle work: completions (a warning when sessions were cut), heartbeats, the one warning
   * about instances whose sessions cannot be counted.
   *
   * @return the run's one error line when a lifecycle call failed, else null
   */
  String lifecycle(LifecycleReport report, LifecycleSettings settings, boolean runtimeApi) {
    if (report.firstSeenBlind() > 0) {
      log.warn("no --runtime-api: cannot count the sessions of " + plural(report.firstSeenBlind(), "instance")
          + " now waiting in Terminating:Wait; their lifecycle actions complete by time alone, --drain-min "
          + Durations.format(settings.drainMin()) + " after first seen");
    }
    for (LifecycleReport.OldWorkersUncounted u : report.oldWorkersUncounted()) {
      String why = "lifecycle: no master socket to count the sessions old haproxy workers may hold on "
          + u.instance() + " after a reload";
      log.warn(u.goneBy() == null
          ? why + ", and the config sets no hard-stop-after: its action completes at --drain-max only; give "
              + "--master-socket (or --reload master-socket:PATH), or set hard-stop-after"
          : why + ": its action completes no sooner than hard-stop-after (" + Durations.format(u.hardStopAfter())
              + ") after the last reload, at " + u.goneBy() + "; give --master-socket (or --reload "
              + "master-socket:PATH) to count them");
    }
    for (LifecycleReport.Completion c : report.completions()) {
      String action = "hook " + c.hook() + " of " + c.instance() + " (group " + c.group() + ")";
      if (c.elsewhere()) {
        log.info("lifecycle: " + action + " was already completed (by another balancer, or it timed out)");
      } else if (!c.cutElsewhere().isEmpty()) {
        log.warn("lifecycle: completed " + action + " with " + c.result() + " at --drain-max after "
            + Durations.format(c.drained()) + ", cutting " + cutSessions(c));
      } else if (c.sessionsCut() > 0) {
        log.warn("lifecycle: completed " + action + " with " + c.result() + " at --drain-max after "
            + Durations.format(c.drained()) + ", cutting " + plural(c.sessionsCut(), "session") + " still open");
      } else if (c.sessionsCut() < 0) {
        log.warn("lifecycle: completed " + action + " with " + c.result() + " at --drain-max after "
            + Durations.format(c.drained()) + "; its sessions could not be counted");
      } else {
        log.info("lifecycle: completed " + action + " with " + c.result() + " after "
            + Durations.format(c.drained()) + (runtimeApi ? ": no session left" : " (by time alone)"));
      }
    }
    if (report.heartbeats() > 0) {
      log.info("lifecycle: " + plural(report.heartbeats(), "heartbeat") + " sent: the hook would time out before "
          + "--drain-max");
    }
    log.debug("lifecycle: " + plural(report.draining(), "instance") + " draining");
    if (report.failures().isEmpty()) {
      return null;
    }
    int more = report.failures().size() - 1;
    return "lifecycle: " + report.failures().get(0).message()
        + (more > 0 ? " (and " + more + " more failed lifecycle call" + (more == 1 ? "" : "s") + ")" : "")
        + "; the config work is done; the next run tries again";
  }

  /** E.g. {@code 1 session still open here, 2 on lb-b, uncounted ones on lb-c}. */
  private static String cutSessions(LifecycleReport.Completion c) {
    java.util.List<String> parts = new java.util.ArrayList<>();
    if (c.sessionsCut() != 0) {
      parts.add(c.sessionsCut() < 0 ? "uncounted ones here" : plural(c.sessionsCut(), "session") + " here");
    }
    c.cutElsewhere().forEach((balancer, n) -> parts.add((n < 0 ? "uncounted ones" : plural(n, "session")) + " on "
        + balancer));
    return String.join(", ", parts) + " (still open)";
  }

  private static String plural(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** What a dry run would have done, on the route it decided. */
  static String wouldDo(ApplyResult result, Path target, RuntimeApi runtimeApi) {
    Route route = result.route();
    String would;
    if (route.path() == Route.Path.RUNTIME) {
      would = "change " + route.runtimeChanges() + " server" + (route.runtimeChanges() == 1 ? "" : "s")
          + " through the " + runtimeApi.describe() + " and install " + target + ", without a reload";
    } else if (route.path() == Route.Path.RELOAD_NO_RUNTIME_API) {
      would = "install and reload (no --runtime-api; with it: " + route.withRuntimeApi().describe() + ")";
    } else {
      would = (result.plan().action() == Plan.Action.INSTALL ? "install and " : "") + route.describe();
    }
    return "dry run: would " + would;
  }
}
