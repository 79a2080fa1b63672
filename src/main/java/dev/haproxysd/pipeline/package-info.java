/**
 * One run of haproxy-sd: discover, render, plan. The subcommands are exits from this one pipeline.
 *
 * <p>Entry points: {@link dev.haproxysd.pipeline.Pipeline}, {@link dev.haproxysd.pipeline.Plan}.
 */
package dev.haproxysd.pipeline;
