/**
 * Talks to the real haproxy: {@code haproxy -c} today; reloads and the runtime API build on the same seams.
 *
 * <p>Entry points: {@link dev.haproxysd.haproxy.HaproxyChecker}, {@link dev.haproxysd.haproxy.ProcessRunner}.
 */
package dev.haproxysd.haproxy;
