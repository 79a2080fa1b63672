/**
 * The {@code haproxy-sd} command line: one picocli command per subcommand, shared options as mixins (one duration
 * grammar, {@code --state-dir} declared once), option defaults from {@code /etc/haproxy-sd/haproxy-sd.conf} and
 * {@code HAPROXY_SD_*} ({@code ConfigDefaults}, {@code ConfigKeys}), the wording of every message an operator reads
 * ({@code ApplyReport}, {@code Failures}) and the one place that turns failures into exit codes
 * ({@code ExitCode}). The only package that imports picocli.
 *
 * <p>Entry point: {@link dev.haproxysd.cli.Main} ({@code run(out, err, args)}; {@code main} only exits).
 */
package dev.haproxysd.cli;
