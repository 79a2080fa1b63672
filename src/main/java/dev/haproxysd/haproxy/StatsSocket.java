package dev.haproxysd.haproxy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A worker's stats socket, used to see which worker answers: after a good reload, a new pid does. */
record StatsSocket(Path socket) {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
  private static final Pattern PID = Pattern.compile("(?m)^Pid:\\s*(\\d+)\\s*$");
  private static final Pattern STATS_SOCKET = Pattern.compile("^\\s*stats\\s+socket\\s+(\\S+)");

  int workerPid() throws IOException {
    String info = UnixSocketClient.exchange(socket, "show info", COMMAND_TIMEOUT);
    Matcher m = PID.matcher(info);
    if (!m.find()) {
      throw new IOException(socket + ": 'show info' has no Pid line");
    }
    return Integer.parseInt(m.group(1));
  }

  /** The first UNIX-path {@code stats socket} of a config, or null (IP sockets and abns@ are not followed). */
  static StatsSocket of(String config) {
    for (String line : ConfigLines.of(config)) {
      Matcher m = STATS_SOCKET.matcher(line);
      if (m.find()) {
        String address = m.group(1);
        if (address.startsWith("unix@")) {
          address = address.substring("unix@".length());
        }
        if (address.startsWith("/") && !address.contains("${")) {
          return new StatsSocket(Path.of(address));
        }
      }
    }
    return null;
  }
}
