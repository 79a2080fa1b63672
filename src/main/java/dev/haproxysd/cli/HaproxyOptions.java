package dev.haproxysd.cli;

import dev.haproxysd.haproxy.ConfigCheck;
import dev.haproxysd.haproxy.ProcessRunner;
import picocli.CommandLine.Option;

/** How to reach the haproxy binary. */
final class HaproxyOptions {
  @Option(names = "--haproxy-bin", paramLabel = "PATH", defaultValue = "haproxy",
      description = "The haproxy binary used for 'haproxy -c' (default: ${DEFAULT-VALUE} on PATH).")
  String binary;

  ConfigCheck checker() {
    return ConfigCheck.haproxy(binary, ProcessRunner.system());
  }
}
