/**
 * Talks to the real haproxy: {@code haproxy -c}, verified reloads (master CLI {@code show proc}, stats socket, a
 * connect to every {@code bind}), all through the {@link dev.haproxysd.haproxy.ProcessRunner} seam and UNIX sockets.
 *
 * <p>Entry points: {@link dev.haproxysd.haproxy.HaproxyChecker}, {@link dev.haproxysd.haproxy.ReloadStrategy}.
 */
package dev.haproxysd.haproxy;
