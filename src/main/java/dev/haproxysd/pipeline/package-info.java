/**
 * One run of haproxy-sd: discover, render, plan, apply. The subcommands are exits from this one pipeline.
 *
 * <p>Entry points: {@link dev.haproxysd.pipeline.Pipeline}; what it plans, {@link dev.haproxysd.pipeline.Plan}
 * (its {@link dev.haproxysd.pipeline.Route} and {@link dev.haproxysd.pipeline.ChangeSet}); what {@code apply}
 * needs, {@link dev.haproxysd.pipeline.ApplySettings} (with {@link dev.haproxysd.pipeline.Guards}); what it did,
 * {@link dev.haproxysd.pipeline.Outcome} in an {@link dev.haproxysd.pipeline.ApplyResult} or an {@link
 * dev.haproxysd.pipeline.ApplyFailure} (a refusal with its {@link dev.haproxysd.pipeline.GuardBreaches}); and the
 * seam {@link dev.haproxysd.pipeline.RunObserver}, told of the run's phases and guard decisions. Drain before
 * terminate: {@link dev.haproxysd.pipeline.LifecycleSettings} in, a {@link dev.haproxysd.pipeline.LifecycleReport}
 * out (decided after the config work from the sessions haproxy reports and the first-seen times in the state).
 *
 * <p>Messages here state facts; the CLI words them and names its options.
 */
package dev.haproxysd.pipeline;
