/**
 * Talks to the real haproxy: {@code haproxy -c}, verified reloads (master CLI {@code show proc}, stats socket, a
 * connect to every {@code bind}) and the runtime API, all through the {@link dev.haproxysd.haproxy.ProcessRunner}
 * seam and UNIX sockets.
 *
 * <p>Entry points: {@link dev.haproxysd.haproxy.ConfigCheck} ({@code haproxy -c}), {@link
 * dev.haproxysd.haproxy.ReloadStrategy} (send and prove a reload), {@link dev.haproxysd.haproxy.RuntimeApi}
 * (change servers without one), {@link dev.haproxysd.haproxy.ServerLines} (a config's server lines, to plan
 * that), {@link dev.haproxysd.haproxy.WorkerSessions} (every worker's sessions, old workers of earlier reloads
 * included, through the master CLI), {@link dev.haproxysd.haproxy.HardStopAfter} and {@link
 * dev.haproxysd.haproxy.ProcessStarts} (a process's start to the clock tick, from /proc). Messages here state facts;
 * the CLI names the options.
 */
package dev.haproxysd.haproxy;
