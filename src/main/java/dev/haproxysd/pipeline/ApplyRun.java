package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.CheckResult;
import dev.haproxysd.haproxy.ReloadException;
import dev.haproxysd.haproxy.ReloadStrategy;
import dev.haproxysd.haproxy.ServerLines;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.RenderKey;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.AppliedState.Origin;
import dev.haproxysd.state.AppliedState.Proof;
import dev.haproxysd.state.AtomicFile;
import dev.haproxysd.state.QuarantinedConfig;
import dev.haproxysd.state.StateLock;
import dev.haproxysd.state.StateStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One {@code apply}: lock, plan, decide the route, guards, validate the candidate, keep the old file, install,
 * reload, verify, roll back on failure ({@link Rollback}), record; then, with lifecycle hooks, the lifecycle work
 * ({@link DrainBeforeTerminate}). Each step happens only after the one before it succeeded, in this order, so that
 * a failure or a kill at any point leaves haproxy with a valid config and the next run able to finish the job.
 */
final class ApplyRun {
  private final Pipeline pipeline;
  private final ApplySettings settings;
  private final StateStore store;
  private final Path target;
  private final Log log;
  private final Clock clock;
  private final RunObserver observer;
  private final ServerStateFile serverState;

  ApplyRun(Pipeline pipeline, ApplySettings settings, RunObserver observer, Log log, Clock clock) {
    this.pipeline = pipeline;
    this.settings = settings;
    this.store = settings.state();
    this.target = settings.configFile();
    this.observer = observer;
    this.log = log;
    this.clock = clock;
    this.serverState = new ServerStateFile(settings.runtimeApi(), log);
  }

  ApplyResult run() throws IOException {
    jitter();
    if (settings.dryRun()) {
      return dryRun(requireGroupFacts(plan()));
    }
    try (StateLock lock = store.lock(settings.lockTimeout(), clock)) {
      for (Path leftover : AtomicFile.removeLeftovers(target)) {
        log.warn("removed " + leftover + ", a candidate left by an interrupted run (" + target + " is complete)");
      }
      Plan plan = requireGroupFacts(plan());
      ApplyResult result = plan.action() == Plan.Action.NONE ? unchanged(plan) : change(plan);
      return settings.lifecycle() == null ? result : result.withLifecycle(
          DrainBeforeTerminate.of(settings, clock, log).run(plan.inventory()));
    }
  }

  /** The plan; the render is skipped when the installed file is proved to be what it would give, unless forced. */
  private Plan plan() throws IOException {
    boolean forced = settings.guards().force();
    if (forced) {
      log.debug("rendering: a forced run always renders");
    }
    return pipeline.plan(target, store, !forced);
  }

  /** The run's one decision of how haproxy gets the plan: it depends on whether this run has a runtime API. */
  private Route route(Plan plan) {
    return plan.route(settings.runtimeApi() != null);
  }

  /** Lifecycle work on a read inventory needs its group facts: refused before any config work when it has none. */
  private Plan requireGroupFacts(Plan plan) {
    if (settings.lifecycle() != null && pipeline.readsInventory() && !plan.inventory().hasGroups()) {
      throw new NoGroupFactsException("the inventory carries no Auto Scaling group facts (a version 1 inventory, or "
          + "none of its services comes from an Auto Scaling group), so no instance is known to wait for a hook");
    }
    return plan;
  }

  private void jitter() throws IOException {
    Duration jitter = settings.jitter();
    if (jitter.isZero() || jitter.isNegative()) {
      return;
    }
    Duration sleep = Duration.ofNanos(ThreadLocalRandom.current().nextLong(jitter.toNanos()));
    log.debug("jitter: sleeping " + sleep.toMillis() + " ms before discovery");
    try {
      clock.sleep(sleep);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sleeping the jitter before discovery", e);
    }
  }

  private ApplyResult unchanged(Plan plan) throws IOException {
    ShrinkSightings.recording(store, clock).forget();
    if ((plan.applied() == null || !plan.applied().live()) && settings.runtimeApi() != null) {
      Adoption.Verdict verdict = new Adoption(settings.runtimeApi(), settings.reload()).check(target, plan.current());
      if (verdict.proved()) {
        recordApplied(plan, Proof.ADOPTED);
        observer.adopted(verdict.detail());
        return ApplyResult.unchanged(plan);
      }
      observer.notAdopted(verdict.detail());
    }
    if (plan.applied() == null) {
      // Repair a missing or corrupt state, so the next run has something to compare with.
      // Repairing: haproxy is assumed to run the installed file (it matches the rendered one), but not proved to.
      recordApplied(plan, Proof.NONE);
    } else {
      refreshRenderKey(plan.applied());
    }
    log.debug("unchanged: " + target + " is the rendered config (sha256 " + plan.desired().sha256()
        + "); nothing written, nothing reloaded");
    return ApplyResult.unchanged(plan);
  }

  private ApplyResult dryRun(Plan plan) throws IOException {
    if (plan.action() == Plan.Action.NONE) {
      return ApplyResult.unchanged(plan);
    }
    refuseQuarantined(plan);
    settings.guards().check(plan, ShrinkSightings.peeking(store, clock), observer);
    if (plan.action() == Plan.Action.INSTALL) {
      requireValid(settings.validator().checkContent(plan.desired().bytes(), target + " (rendered)"));
    }
    return ApplyResult.wouldChange(plan, route(plan));
  }

  private ApplyResult change(Plan plan) throws IOException {
    refuseQuarantined(plan);
    ShrinkSightings sightings = ShrinkSightings.recording(store, clock);
    settings.guards().check(plan, sightings, observer);
    ApplyResult result;
    try {
      result = bringHaproxyTo(plan, route(plan));
    } catch (ApplyFailure failure) {
      quarantine(plan, failure);
      throw failure;
    }
    sightings.forget();
    store.release(plan.desired().sha256());
    return result;
  }

  /** A candidate that failed before is not tried again unless forced: a second failure would cost two more reloads. */
  private void refuseQuarantined(Plan plan) {
    if (settings.guards().force()) {
      return;
    }
    store.quarantined(plan.desired().sha256()).ifPresent(q -> {
      throw ApplyFailure.quarantined(q);
    });
  }

  private void quarantine(Plan plan, ApplyFailure failure) {
    if (failure.reason() == null) {
      return; // nothing was tried (haproxy could not be reached): the candidate itself did not fail
    }
    try {
      store.quarantine(new QuarantinedConfig(plan.desired().sha256(), clock.now(), failure.reason()));
    } catch (IOException | RuntimeException e) {
      log.warn("cannot quarantine the failed config in " + store.dir() + ": " + e.getMessage()
          + "; the next run will try it again");
    }
  }

  private ApplyResult bringHaproxyTo(Plan plan, Route route) throws IOException {
    HandEdits.warn(plan, store.dir(), log);
    String fallback = null;
    if (route.path() == Route.Path.RUNTIME) {
      try {
        return throughRuntimeApi(plan, route);
      } catch (RuntimeFallback e) {
        fallback = e.getMessage();
        log.warn(fallback + "; falling back to a reload");
      }
    }
    return withReload(plan, route, fallback);
  }

  /** A runtime update that did not go as planned; the run goes on with a reload. */
  private static final class RuntimeFallback extends Exception {
    private static final long serialVersionUID = 1L;

    RuntimeFallback(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Validate the candidate, change haproxy through the runtime API and check it, then install the file without a
   * reload, so that the next reload starts from the same truth.
   */
  private ApplyResult throughRuntimeApi(Plan plan, Route route) throws IOException, RuntimeFallback {
    serverState.ensureFor(plan.desired().text());
    try (AtomicFile.Pending candidate = AtomicFile.prepare(target, plan.desired().bytes())) {
      requireValid(settings.validator().check(candidate.path(), target + " (candidate)"));
      RuntimeUpdate update = new RuntimeUpdate(settings.runtimeApi(), ServerLines.of(plan.desired().text()),
          RuntimeUpdate.statesOf(plan.inventory(), plan.slots()));
      int changes;
      try {
        changes = update.apply();
      } catch (IOException | IllegalArgumentException e) {
        throw new RuntimeFallback(settings.runtimeApi().describe() + ": " + e.getMessage(), e);
      }
      Optional<byte[]> old = AtomicFile.read(target);
      if (old.isPresent()) {
        store.keepLastKnownGood(old.get(), target.getFileName().toString(), settings.backups());
      }
      candidate.commit();
      recordApplied(plan, Proof.RUNTIME_API);
      return ApplyResult.runtimeOnly(plan, route, changes);
    }
  }

  /** @param fallback why a planned runtime-API change became a reload, or null */
  private ApplyResult withReload(Plan plan, Route route, String fallback) throws IOException {
    ReloadStrategy.Reload reload = null;
    if (settings.reload() != null) {
      try {
        reload = settings.reload().prepare(plan.current());
      } catch (ReloadException e) {
        throw ApplyFailure.rolledBack("cannot reload haproxy: " + e.getMessage() + "; nothing was installed", null,
            e);
      }
    }
    observer.reached(RunObserver.Phase.BEFORE_WRITE);
    if (plan.action() == Plan.Action.INSTALL) {
      install(plan);
    }
    observer.reached(RunObserver.Phase.AFTER_RENAME);
    if (reload == null) {
      recordApplied(plan, Proof.NONE);
      return ApplyResult.notReloaded(plan, route, fallback);
    }
    serverState.saveBeforeReload(plan);
    ReloadStrategy.Verified verified;
    try {
      reload.send();
      observer.reached(RunObserver.Phase.DURING_RELOAD);
      verified = reload.verify(plan.desired().text());
    } catch (ReloadException e) {
      throw new Rollback(settings, serverState, clock, log).after(plan, e);
    }
    recordApplied(plan, Proof.RELOAD);
    return ApplyResult.reloaded(plan, route, fallback, verified);
  }

  /** Candidate next to the target → haproxy -c → keep the old file → rename. */
  private void install(Plan plan) throws IOException {
    serverState.ensureFor(plan.desired().text());
    try (AtomicFile.Pending candidate = AtomicFile.prepare(target, plan.desired().bytes())) {
      requireValid(settings.validator().check(candidate.path(), target + " (candidate)"));
      Optional<byte[]> old = AtomicFile.read(target);
      if (old.isPresent()) {
        store.keepLastKnownGood(old.get(), target.getFileName().toString(), settings.backups(), modeOf(target));
      }
      observer.reached(RunObserver.Phase.AFTER_TEMP_WRITE);
      candidate.commit();
    }
  }

  /** The config's own mode, for its backups; 0600 where the file system has no POSIX modes. */
  private static Set<PosixFilePermission> modeOf(Path file) throws IOException {
    try {
      return Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException e) {
      return Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
  }

  private void requireValid(CheckResult check) {
    check.warnings().forEach(w -> log.warn("haproxy: [WARNING] " + w));
    if (!check.valid()) {
      throw ApplyFailure.rejected("haproxy -c rejected the new config for " + target + ": " + check.firstAlert()
          + "; nothing was installed (fix the template or inventory)", check);
    }
  }

  /**
   * This run rendered the installed config again from inputs the recorded key does not cover (another build after
   * an upgrade, a template comment, a var or tag the template does not use): record the new key, or every later
   * run would render until the config next changes. Nothing else of the state changes, and nothing is written when
   * the key is the recorded one or the state describes another config.
   */
  private void refreshRenderKey(AppliedState applied) throws IOException {
    Optional<RenderKey> key = pipeline.renderKey();
    if (key.isEmpty() || key.equals(applied.renderKey()) || !key.get().config().equals(applied.configSha256())) {
      return;
    }
    store.record(applied.withRenderKey(key.get()));
    log.debug("recorded the render key of " + target + " (sha256 " + applied.configSha256().shortHex()
        + "): the next unchanged run skips the render");
  }

  /** Records {@code plan}'s config as applied, with the inventory and slots it was rendered from. */
  private void recordApplied(Plan plan, Proof proof) throws IOException {
    Sha256 config = plan.desired().sha256();
    RenderKey key = pipeline.renderKey().filter(k -> k.config().equals(config)).orElse(null);
    store.record(AppliedState.applied(target, config, proof, new Origin(pipeline.inventorySha256(), plan.slots(), key),
        clock.now()), plan.inventory());
  }
}
