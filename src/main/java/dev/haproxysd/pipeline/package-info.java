/**
 * One run of haproxy-sd: discover, render, plan, apply. The subcommands are exits from this one pipeline.
 *
 * <p>Entry points: {@link dev.haproxysd.pipeline.Pipeline}; what it plans, {@link dev.haproxysd.pipeline.Plan}
 * (its {@link dev.haproxysd.pipeline.Route}, decided once per run with the runtime API's availability and carried
 * in the result, and its {@link dev.haproxysd.pipeline.ChangeSet}); what {@code apply} needs, {@link
 * dev.haproxysd.pipeline.ApplySettings} (built with its builder, with {@link dev.haproxysd.pipeline.Guards}); what
 * it did, {@link dev.haproxysd.pipeline.Outcome} in an {@link dev.haproxysd.pipeline.ApplyResult} or an {@link
 * dev.haproxysd.pipeline.ApplyFailure} (a refusal with its {@link dev.haproxysd.pipeline.GuardBreaches}); and the
 * seam {@link dev.haproxysd.pipeline.RunObserver}, told of the run's phases and guard decisions. Drain before
 * terminate ({@code DrainBeforeTerminate}): {@link dev.haproxysd.pipeline.LifecycleSettings} and the caller's open
 * {@code LifecycleHooks} client (and {@code DrainReports}, with {@code --drain-reports}) in, a {@link
 * dev.haproxysd.pipeline.LifecycleReport} out (decided after the config work from the sessions every haproxy worker
 * holds, {@code SessionCount}, the first-seen times in the state and, in a fleet, the other balancers' reports:
 * {@code DrainFleet} exchanges them, {@code FleetRule} judges them), or, for a read inventory without group facts, a
 * {@link dev.haproxysd.pipeline.NoGroupFactsException} before the config work. {@code ApplyRun} is one run's
 * orchestration; {@code Rollback}, {@code ServerStateFile} and {@code HandEdits} are its steps.
 *
 * <p>Messages here state facts; the CLI words them and names its options.
 */
package dev.haproxysd.pipeline;
