package dev.haproxysd.pipeline;

import dev.haproxysd.fleet.DrainReport;
import dev.haproxysd.fleet.DrainReports;
import dev.haproxysd.haproxy.WorkerSessions;
import dev.haproxysd.lifecycle.LifecycleException;
import dev.haproxysd.lifecycle.LifecycleHook;
import dev.haproxysd.lifecycle.LifecycleHooks;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.LifecycleState;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.ScalingGroup;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.DrainingInstance;
import dev.haproxysd.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The lifecycle work of an {@code apply}, after its config work: for every instance a selected group holds in
 * {@code Terminating:Wait}, remember when it was first seen (it is drained by then: discovery makes it a draining
 * server), count its sessions in haproxy over every worker ({@link SessionCount}), and complete its lifecycle action
 * once it has none and {@code drainMin} has passed, or at {@code drainMax} regardless; heartbeat in between when the
 * hook would time out first. When old workers cannot be counted (no master socket), a completion also waits until
 * they have surely gone.
 *
 * <p>Each run makes at most one completion attempt per instance and hook; an action someone else completed counts
 * as done. A failed call is reported and left for the next run.
 */
final class DrainBeforeTerminate {
  private final LifecycleSettings settings;
  private final StateStore store;
  private final LifecycleHooks calls;
  private final SessionCount haproxy;
  private final DrainReports reports;
  private final Clock clock;
  private final Log log;
  private final Map<LifecycleHooks.Group, List<LifecycleHook>> hooksByGroup = new HashMap<>();
  private final Set<LifecycleHooks.Group> unreachable = new HashSet<>();
  private final List<LifecycleReport.Completion> completions = new ArrayList<>();
  private final List<LifecycleReport.Failure> failures = new ArrayList<>();
  private final List<LifecycleReport.OldWorkersUncounted> oldWorkersUncounted = new ArrayList<>();
  private int heartbeats;
  private int waitingOnOthers;

  /**
   * @param calls the lifecycle calls, made in the pair of each instance's group
   * @param haproxy where haproxy's sessions are counted
   * @param reports the fleet's drain reports, or null: this balancer decides alone
   */
  DrainBeforeTerminate(LifecycleSettings settings, LifecycleHooks calls, StateStore store, SessionCount haproxy,
      DrainReports reports, Clock clock, Log log) {
    this.settings = settings;
    this.calls = calls;
    this.reports = reports;
    this.store = store;
    this.haproxy = haproxy;
    this.clock = clock;
    this.log = log;
  }

  /** The lifecycle work of an apply with {@code settings}, after its config work (the installed file is haproxy's). */
  static DrainBeforeTerminate of(ApplySettings settings, Clock clock, Log log) throws IOException {
    StateStore store = settings.state();
    Optional<WorkerSessions> workers = settings.reload() == null ? Optional.empty()
        : settings.reload().workerSessions();
    SessionCount haproxy;
    if (workers.isPresent()) {
      haproxy = new SessionCount(settings.runtimeApi(), workers, null, null, log);
    } else {
      // old workers cannot be asked: when they have surely gone depends on the config and the last reload
      Instant lastReloadMade = store.load(settings.configFile()).state()
          .filter(applied -> applied.proof() == AppliedState.Proof.RELOAD).map(AppliedState::appliedAt)
          .orElse(null);
      String installed = Files.exists(settings.configFile()) ? Files.readString(settings.configFile()) : null;
      haproxy = new SessionCount(settings.runtimeApi(), workers, installed, lastReloadMade, log);
    }
    return new DrainBeforeTerminate(settings.lifecycle(), settings.lifecycleHooks(), store, haproxy,
        settings.drainReports(), clock, log);
  }

  /** A waiting instance: its group (where it lives), id, and its server in the inventory. */
  record Waiting(LifecycleHooks.Group group, String instance, Server server) {}

  /** Every server whose Auto Scaling group holds it in Terminating:Wait, in service and server order. */
  static List<Waiting> waiting(Inventory inventory) {
    List<Waiting> waiting = new ArrayList<>();
    for (Service service : inventory.services()) {
      // Only servers: an instance this balancer never routed to is left to its hook's timeout.
      for (Server server : service.servers()) {
        for (ScalingGroup group : service.groups()) {
          if (group.lifecycle(server.id()).filter(LifecycleState::waitingToTerminate).isPresent()) {
            waiting.add(new Waiting(new LifecycleHooks.Group(group.name(), group.region(), group.account()),
                server.id(), server));
          }
        }
      }
    }
    return waiting;
  }

  LifecycleReport run(Inventory inventory) throws IOException {
    Instant now = clock.now();
    Map<String, DrainingInstance> known = new LinkedHashMap<>();
    List<DrainingInstance> before = store.draining();
    before.forEach(d -> known.put(d.key(), d));
    Map<Waiting, DrainingInstance> seenBy = new LinkedHashMap<>();
    Map<Waiting, Here> here = new LinkedHashMap<>();
    int firstSeenBlind = 0;
    for (Waiting w : waiting(inventory)) {
      if (!reachable(w.group())) {
        continue;
      }
      DrainingInstance seen = known.get(w.group().name() + "/" + w.instance());
      if (seen == null) {
        seen = DrainingInstance.seen(w.group().name(), w.instance(), now);
        firstSeenBlind += haproxy.blind() ? 1 : 0;
        log.debug("lifecycle: " + w.instance() + " of " + w.group().name() + " is waiting in "
            + LifecycleState.TERMINATING_WAIT + ": first seen now");
        noteUncountedOldWorkers(w);
      }
      seenBy.put(w, seen);
      here.put(w, here(w, seen, now));
    }
    DrainFleet.View view = exchangeReports(seenBy, here, now);
    List<DrainingInstance> after = new ArrayList<>();
    int draining = 0;
    for (Map.Entry<Waiting, DrainingInstance> e : seenBy.entrySet()) {
      DrainingInstance seen = e.getValue();
      if (seen.completed() == null) {
        seen = step(e.getKey(), seen, here.get(e.getKey()), view, now);
      }
      draining += seen.completed() == null ? 1 : 0;
      after.add(seen);
    }
    if (!after.equals(before)) {
      store.recordDraining(after); // instances no longer waiting are forgotten
    }
    return new LifecycleReport(draining, completions, heartbeats, failures, firstSeenBlind, oldWorkersUncounted,
        view == null ? null : fleetFacts(here, view));
  }

  /**
   * What this balancer holds of an instance.
   *
   * @param drained it has let go of it here: no session left over every worker and the old workers that could not
   *     be asked are gone (without a runtime API: --drain-min passed)
   */
  private record Here(SessionCount.Sessions sessions, boolean drained) {}

  private Here here(Waiting w, DrainingInstance seen, Instant now) {
    SessionCount.Sessions sessions = haproxy.of(w.server());
    boolean oldWorkersGone = haproxy.oldWorkersGoneBy().map(gone -> !now.isBefore(gone)).orElse(true);
    boolean letGo = haproxy.blind() ? !seen.firstSeen().plus(settings.drainMin()).isAfter(now) : sessions.none();
    return new Here(sessions, letGo && oldWorkersGone);
  }

  /** With drain reports: write this balancer's, and while an instance waits for completion read the others'. */
  private DrainFleet.View exchangeReports(Map<Waiting, DrainingInstance> seenBy, Map<Waiting, Here> here,
      Instant now) {
    if (reports == null) {
      return null;
    }
    List<DrainReport.Draining> mine = new ArrayList<>();
    boolean waiting = false;
    for (Map.Entry<Waiting, DrainingInstance> e : seenBy.entrySet()) {
      Here h = here.get(e.getKey());
      mine.add(new DrainReport.Draining(e.getKey().group().name(), e.getKey().instance(), e.getValue().firstSeen(),
          Math.max(-1, h.sessions().count()), h.drained()));
      waiting |= e.getValue().completed() == null;
    }
    DrainFleet.View view = new DrainFleet(reports, store, log).exchange(mine, waiting, now);
    if (view.failure() != null) {
      failures.add(view.failure());
    }
    return view;
  }

  private LifecycleReport.Fleet fleetFacts(Map<Waiting, Here> here, DrainFleet.View view) {
    int sessions = 0;
    for (Map.Entry<Waiting, Here> e : here.entrySet()) {
      sessions += Math.max(0, e.getValue().sessions().count());
      sessions += view.verdict(e.getKey().group().name(), e.getKey().instance()).sessions().values().stream()
          .mapToInt(n -> Math.max(0, n)).sum();
    }
    return new LifecycleReport.Fleet(view.read() ? view.others().size() + 1 : 0, waitingOnOthers, sessions);
  }

  /** One run's decision for one instance; returns its record as it is afterwards. */
  private DrainingInstance step(Waiting w, DrainingInstance seen, Here here, DrainFleet.View view, Instant now) {
    List<LifecycleHook> hooks = hooks(w.group());
    if (hooks == null || hooks.isEmpty()) {
      return seen;
    }
    Duration heartbeat = hooks.stream().map(LifecycleHook::heartbeatTimeout).min(Duration::compareTo).get();
    Duration drainMax = settings.drainMax() != null ? settings.drainMax() : heartbeat;
    Duration elapsed = Duration.between(seen.firstSeen(), now);
    boolean atMax = elapsed.compareTo(drainMax) >= 0;
    boolean drainedHere = elapsed.compareTo(settings.drainMin()) >= 0 && here.drained();
    FleetRule.Verdict fleet = view == null ? FleetRule.Verdict.ALONE
        : view.verdict(w.group().name(), w.instance());
    if (drainedHere && !fleet.drained()) {
      waitingOnOthers++;
      log.debug("lifecycle: " + w.instance() + " is drained here; waiting on " + String.join(", ", fleet.blocking()));
    }
    boolean drained = drainedHere && fleet.drained();
    if (atMax || drained) {
      return complete(w, seen, hooks, now, drained ? 0 : here.sessions().count(), elapsed,
          drained ? Map.of() : fleet.sessions());
    }
    Instant base = seen.lastHeartbeat() != null ? seen.lastHeartbeat() : seen.firstSeen();
    // The action times out one heartbeat timeout after it began (before first seen) or after the last heartbeat.
    boolean hookTimesOutFirst = !seen.firstSeen().plus(drainMax).isBefore(base.plus(heartbeat));
    if (hookTimesOutFirst && Duration.between(base, now).compareTo(heartbeat.dividedBy(2)) >= 0) {
      return heartbeat(w, seen, hooks, now);
    }
    return seen;
  }

  private DrainingInstance complete(Waiting w, DrainingInstance seen, List<LifecycleHook> hooks, Instant now,
      int sessionsCut, Duration elapsed, Map<String, Integer> cutElsewhere) {
    String result = settings.abandon() ? "ABANDON" : "CONTINUE";
    boolean all = true;
    for (LifecycleHook hook : hooks) {
      try {
        boolean byUs = calls.complete(w.group(), hook.name(), w.instance(), settings.abandon());
        completions.add(new LifecycleReport.Completion(w.group().name(), hook.name(), w.instance(), result,
            sessionsCut, elapsed, !byUs, cutElsewhere));
      } catch (LifecycleException e) {
        failures.add(new LifecycleReport.Failure(e.iamAction(), e.getMessage()));
        all = false;
      }
    }
    return all ? seen.complete(now) : seen;
  }

  private DrainingInstance heartbeat(Waiting w, DrainingInstance seen, List<LifecycleHook> hooks, Instant now) {
    boolean all = true;
    for (LifecycleHook hook : hooks) {
      try {
        calls.heartbeat(w.group(), hook.name(), w.instance());
        heartbeats++;
      } catch (LifecycleException e) {
        failures.add(new LifecycleReport.Failure(e.iamAction(), e.getMessage()));
        all = false;
      }
    }
    return all ? seen.heartbeat(now) : seen;
  }

  /**
   * Whether this run can make the group's calls; a group in a region or account no pair reaches (an inventory
   * discovered elsewhere) is said once, and its instances are left to their hook's timeout.
   */
  private boolean reachable(LifecycleHooks.Group group) {
    if (hooksByGroup.containsKey(group)) {
      return true;
    }
    if (unreachable.contains(group)) {
      return false;
    }
    if (calls.reaches(group)) {
      return true;
    }
    unreachable.add(group);
    log.warn("lifecycle: Auto Scaling group " + SafeValue.quote(group.name()) + " is in " + group.region()
        + (group.account().isEmpty() ? "" : " of account " + group.account()) + ", which no --region/--role-arn of "
        + "this run reaches: its waiting instances are drained, and their lifecycle actions left to the hook's "
        + "timeout (add --region " + group.region() + (group.account().isEmpty() ? "" : " and a --role-arn of "
        + "account " + group.account()) + ")");
    return false;
  }

  /** The group's termination hooks among those named; asked once per run, null after a failed call. */
  private List<LifecycleHook> hooks(LifecycleHooks.Group group) {
    if (!hooksByGroup.containsKey(group)) {
      List<LifecycleHook> hooks;
      try {
        hooks = calls.terminationHooks(group, settings.hooks());
        if (hooks.isEmpty()) {
          log.warn("lifecycle: Auto Scaling group " + group.name() + " has no termination hook named "
              + String.join(" or ", settings.hooks()) + ": its waiting instances are drained, not completed");
        }
      } catch (LifecycleException e) {
        failures.add(new LifecycleReport.Failure(e.iamAction(), e.getMessage()));
        hooks = null;
      }
      hooksByGroup.put(group, hooks);
    }
    return hooksByGroup.get(group);
  }

  /** Once per instance, when old workers cannot be counted: why its completion waits. */
  private void noteUncountedOldWorkers(Waiting w) {
    haproxy.oldWorkersGoneBy().ifPresent(gone -> oldWorkersUncounted.add(new LifecycleReport.OldWorkersUncounted(
        w.instance(), gone.equals(Instant.MAX) ? null : gone, haproxy.hardStopAfter().orElse(null))));
  }
}
