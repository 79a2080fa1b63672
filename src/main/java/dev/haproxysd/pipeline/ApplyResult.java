package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.ReloadStrategy;

/**
 * How an apply run ended when it did not fail: the {@link Outcome} and the facts the caller reports.
 *
 * @param route the way the run decided to bring haproxy to the plan, given its runtime API or none ({@link
 *     Plan#route(boolean)}); {@code fallback} says when the runtime API was given up for a reload after all
 * @param fallback why the planned runtime-API change was given up for a reload, or null
 * @param reload what proved the reload, or null when there was none
 * @param runtimeChanges servers changed through the runtime API
 * @param lifecycle what the lifecycle work after the config work did ({@link LifecycleReport#NONE} without hooks)
 */
public record ApplyResult(Plan plan, Route route, Outcome outcome, String fallback, ReloadStrategy.Verified reload,
    int runtimeChanges, LifecycleReport lifecycle) {

  /** A result of a run that had a runtime API (the plan's own {@link Plan#route()}), without lifecycle work. */
  public ApplyResult(Plan plan, Outcome outcome, String fallback, ReloadStrategy.Verified reload,
      int runtimeChanges) {
    this(plan, plan.route(), outcome, fallback, reload, runtimeChanges, LifecycleReport.NONE);
  }

  ApplyResult withLifecycle(LifecycleReport report) {
    return new ApplyResult(plan, route, outcome, fallback, reload, runtimeChanges, report);
  }

  static ApplyResult unchanged(Plan plan) {
    return new ApplyResult(plan, Route.none(), Outcome.UNCHANGED, null, null, 0, LifecycleReport.NONE);
  }

  static ApplyResult wouldChange(Plan plan, Route route) {
    return new ApplyResult(plan, route, Outcome.WOULD_CHANGE, null, null, 0, LifecycleReport.NONE);
  }

  static ApplyResult runtimeOnly(Plan plan, Route route, int changes) {
    return new ApplyResult(plan, route, Outcome.RUNTIME_ONLY, null, null, changes, LifecycleReport.NONE);
  }

  /** Installed (or only recorded, when the file was in place) without a reload: none was configured. */
  static ApplyResult notReloaded(Plan plan, Route route, String fallback) {
    Outcome outcome = plan.action() == Plan.Action.INSTALL ? Outcome.INSTALLED : Outcome.RECORDED;
    return new ApplyResult(plan, route, outcome, fallback, null, 0, LifecycleReport.NONE);
  }

  static ApplyResult reloaded(Plan plan, Route route, String fallback, ReloadStrategy.Verified reload) {
    Outcome outcome = plan.action() == Plan.Action.INSTALL ? Outcome.INSTALLED_AND_RELOADED : Outcome.RELOADED;
    return new ApplyResult(plan, route, outcome, fallback, reload, 0, LifecycleReport.NONE);
  }
}
