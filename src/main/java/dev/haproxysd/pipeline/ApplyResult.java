package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.ReloadStrategy;

/**
 * How an apply run ended when it did not fail: the {@link Outcome} and the facts the caller reports.
 *
 * @param fallback why the planned runtime-API change was given up for a reload, or null
 * @param reload what proved the reload, or null when there was none
 * @param runtimeChanges servers changed through the runtime API
 * @param lifecycle what the lifecycle work after the config work did ({@link LifecycleReport#NONE} without hooks)
 */
public record ApplyResult(Plan plan, Outcome outcome, String fallback, ReloadStrategy.Verified reload,
    int runtimeChanges, LifecycleReport lifecycle) {

  public ApplyResult(Plan plan, Outcome outcome, String fallback, ReloadStrategy.Verified reload,
      int runtimeChanges) {
    this(plan, outcome, fallback, reload, runtimeChanges, LifecycleReport.NONE);
  }

  ApplyResult withLifecycle(LifecycleReport report) {
    return new ApplyResult(plan, outcome, fallback, reload, runtimeChanges, report);
  }

  static ApplyResult unchanged(Plan plan) {
    return new ApplyResult(plan, Outcome.UNCHANGED, null, null, 0);
  }

  static ApplyResult wouldChange(Plan plan) {
    return new ApplyResult(plan, Outcome.WOULD_CHANGE, null, null, 0);
  }

  static ApplyResult runtimeOnly(Plan plan, int changes) {
    return new ApplyResult(plan, Outcome.RUNTIME_ONLY, null, null, changes);
  }

  /** Installed (or only recorded, when the file was in place) without a reload: none was configured. */
  static ApplyResult notReloaded(Plan plan, String fallback) {
    Outcome outcome = plan.action() == Plan.Action.INSTALL ? Outcome.INSTALLED : Outcome.RECORDED;
    return new ApplyResult(plan, outcome, fallback, null, 0);
  }

  static ApplyResult reloaded(Plan plan, String fallback, ReloadStrategy.Verified reload) {
    Outcome outcome = plan.action() == Plan.Action.INSTALL ? Outcome.INSTALLED_AND_RELOADED : Outcome.RELOADED;
    return new ApplyResult(plan, outcome, fallback, reload, 0);
  }
}
