package dev.haproxysd.cli;

import dev.haproxysd.haproxy.RuntimeApi;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** The value of {@code --runtime-api}, as {@code apply} and {@code status} take it. */
final class RuntimeApiOption {
  private RuntimeApiOption() {}

  /** @return the runtime API at {@code value}, or null when the option was not given */
  static RuntimeApi parse(String value, Duration timeout, CommandSpec spec) {
    if (value == null) {
      return null;
    }
    try {
      return RuntimeApi.parse(value, timeout);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--runtime-api " + e.getMessage());
    }
  }
}
