/**
 * What haproxy-sd keeps on disk between runs, and how it writes files so that a crash leaves the old or the new
 * file, never a torn one.
 *
 * <p>Entry point: {@link dev.haproxysd.state.AtomicFile}.
 */
package dev.haproxysd.state;
