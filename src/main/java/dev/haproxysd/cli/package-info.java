/**
 * The {@code haproxy-sd} command line: one picocli command per subcommand, shared options as mixins (one duration
 * grammar, {@code --state-dir} declared once), option defaults from {@code /etc/haproxy-sd/haproxy-sd.conf} and
 * {@code HAPROXY_SD_*} ({@code ConfigDefaults}, {@code ConfigKeys}), the wording of what a run reports ({@code
 * ApplyReport}, {@code Failures}; failures carry the one line their package worded, and those of AWS and S3 name
 * the options to check themselves) and the one place that turns failures into exit codes ({@code ExitCode}). The
 * only package that imports picocli. {@code AwsOptions} is how every command reaches AWS.
 *
 * <p>Entry point: {@link dev.haproxysd.cli.Main} ({@code run(out, err, args)}; {@code main} only exits).
 */
package dev.haproxysd.cli;
