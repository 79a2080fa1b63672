/**
 * Option defaults from {@code /etc/haproxy-sd/haproxy-sd.conf} and {@code HAPROXY_SD_*} environment variables,
 * keyed by the option names of the command model itself, so a new option is configurable without a code change.
 * Precedence: built-in default &lt; file &lt; environment &lt; command line.
 *
 * <p>Entry points: {@link dev.haproxysd.config.ConfigDefaults} (install on a {@code CommandLine}) and {@link
 * dev.haproxysd.config.ConfigKeys} (the keys, for documentation and the shipped commented file).
 */
package dev.haproxysd.config;
