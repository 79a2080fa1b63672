/**
 * One run of haproxy-sd: discover, render, plan, apply. The subcommands are exits from this one pipeline.
 *
 * <p>Entry points: {@link dev.haproxysd.pipeline.Pipeline}, {@link dev.haproxysd.pipeline.Plan} (and its
 * {@link dev.haproxysd.pipeline.ChangeSet}), {@link dev.haproxysd.pipeline.ApplyResult}.
 */
package dev.haproxysd.pipeline;
