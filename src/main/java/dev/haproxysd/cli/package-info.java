/**
 * The {@code haproxy-sd} command line: one picocli command per subcommand, shared options as mixins, and the one
 * place that turns failures into exit codes ({@link dev.haproxysd.cli.ExitCode}).
 *
 * <p>Entry point: {@link dev.haproxysd.cli.Main}.
 */
package dev.haproxysd.cli;
