package dev.haproxysd.haproxy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/** The master-worker master's CLI ({@code haproxy -W -S PATH}). */
record MasterCli(Path socket) {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

  ProcStatus showProc() throws IOException {
    try {
      return ProcStatus.parse(UnixSocketClient.exchange(socket, "show proc", COMMAND_TIMEOUT));
    } catch (IllegalArgumentException e) {
      throw new IOException(socket + ": " + e.getMessage(), e);
    }
  }

  /**
   * {@code @!PID COMMAND}: runs a command in one process (a current or an old worker).
   *
   * @return the answer, or empty when the master has no such process any more (it exited meanwhile)
   */
  java.util.Optional<String> onProcess(int pid, String command) throws IOException {
    String answer = UnixSocketClient.exchange(socket, "@!" + pid + " " + command, COMMAND_TIMEOUT);
    return answer.startsWith("Can't find the target PID") ? java.util.Optional.empty() : java.util.Optional.of(answer);
  }

  /** Asks the master to reload. On 2.6 the answer is empty whatever happens, and the connection may be reset. */
  void reload() throws IOException {
    try {
      UnixSocketClient.exchange(socket, "reload", COMMAND_TIMEOUT);
    } catch (java.net.SocketException e) {
      // the master re-executes itself while answering: a reset here says nothing about the reload
    }
  }
}
