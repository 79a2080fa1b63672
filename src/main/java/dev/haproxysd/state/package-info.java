/**
 * What haproxy-sd keeps on disk between runs, and how it writes files so that a crash leaves the old or the new
 * file, never a torn one.
 *
 * <p>Entry points: {@link dev.haproxysd.state.StateStore} (state, inventory, last-known-good, backups; it stores,
 * the codecs encode), {@link dev.haproxysd.state.AppliedState} (what {@code state.json} records; its codec is
 * {@code AppliedStateJson}), {@link dev.haproxysd.state.PendingShrink} (a shrink waiting for confirmation, {@code
 * pending-shrink.json}), {@link dev.haproxysd.state.QuarantinedConfig} (a config that failed, {@code
 * quarantine.json}), {@link dev.haproxysd.state.AtomicFile} (every write), {@link dev.haproxysd.state.StateLock}
 * (one apply at a time).
 */
package dev.haproxysd.state;
