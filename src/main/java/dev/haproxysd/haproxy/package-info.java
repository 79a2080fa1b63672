/**
 * Talks to the real haproxy: {@code haproxy -c}, verified reloads (master CLI {@code show proc}, stats socket, a
 * connect to every {@code bind}) and the runtime API, all through the {@link dev.haproxysd.haproxy.ProcessRunner}
 * seam and UNIX sockets.
 *
 * <p>Entry points: {@link dev.haproxysd.haproxy.ConfigCheck} ({@code haproxy -c}), {@link
 * dev.haproxysd.haproxy.ReloadStrategy} (send and prove a reload), {@link dev.haproxysd.haproxy.RuntimeApi}
 * (change servers without one) and {@link dev.haproxysd.haproxy.ServerLines} (a config's server lines, to plan
 * that). Messages here state facts; the CLI names the options.
 */
package dev.haproxysd.haproxy;
