package dev.haproxysd.haproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code haproxy -c -f FILE} — without {@code -q}, which would hide the {@code [ALERT]} lines that say why a
 * config was rejected.
 */
final class HaproxyChecker implements ConfigCheck {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  // "[ALERT]    (1234) : config : parsing [x.cfg:3] : ..." -> "config : parsing [x.cfg:3] : ..."
  private static final Pattern LEVEL_LINE = Pattern.compile("\\[(ALERT|WARNING)\\]\\s*(?:\\(\\d+\\)\\s*)?:\\s*(.*)");

  // "${NAME}" or "$NAME" in a config: haproxy expands it from its environment, so its value may be a secret.
  private static final Pattern ENV_REFERENCE = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");
  // Shorter values ("1", "on") are not secrets, and masking them would garble the messages.
  private static final int MASKED_LENGTH = 4;

  private final String binary;
  private final ProcessRunner runner;
  private final Map<String, String> environment;

  HaproxyChecker(String binary, ProcessRunner runner) {
    this(binary, runner, System.getenv());
  }

  /** @param environment the environment haproxy -c runs in (its values are masked in what haproxy says) */
  HaproxyChecker(String binary, ProcessRunner runner, Map<String, String> environment) {
    this.binary = binary;
    this.runner = runner;
    this.environment = environment;
  }

  @Override
  public CheckResult check(Path config, String shownAs) {
    ProcessRunner.Result result;
    try {
      result = runner.run(List.of(binary, "-c", "-f", config.toString()), TIMEOUT);
    } catch (ProcessRunner.ProcessTimeoutException e) {
      throw new HaproxyNotFoundException(binary + " -c: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new HaproxyNotFoundException(
          "cannot run '" + binary + "': " + withoutProgramName(e.getMessage()), e);
    }
    List<String> alerts = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String output = maskExpandedValues(config, result.stderr() + "\n" + result.stdout());
    for (String line : output.split("\\R")) {
      Matcher m = LEVEL_LINE.matcher(line.trim());
      if (m.matches()) {
        String text = m.group(2).replace(config.toString(), shownAs);
        (m.group(1).equals("ALERT") ? alerts : warnings).add(text);
      }
    }
    boolean valid = result.exitCode() == 0 || result.exitCode() == 2;
    return new CheckResult(valid, result.exitCode(), alerts, warnings);
  }

  /** {@code Cannot run program "X": error=2, No such file or directory} → {@code No such file or directory}. */
  private static String withoutProgramName(String message) {
    return message == null ? "" : message.replaceFirst("^Cannot run program \"[^\"]*\"[^:]*: (error=\\d+, )?", "");
  }

  /**
   * haproxy's [ALERT] lines quote arguments after expanding {@code "${NAME}"} (a stats password, say): every value
   * of a variable the config names is shown as {@code ${NAME}} instead, so it never reaches stderr or a log.
   */
  private String maskExpandedValues(Path config, String output) {
    String text;
    try {
      text = Files.readString(config, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return output;
    }
    Map<String, String> values = new HashMap<>();
    Matcher m = ENV_REFERENCE.matcher(text);
    while (m.find()) {
      String value = environment.get(m.group(1));
      if (value != null && value.length() >= MASKED_LENGTH) {
        values.put(value, "${" + m.group(1) + "}");
      }
    }
    String masked = output;
    // Longest first, so a value that contains another one is masked whole.
    List<Map.Entry<String, String>> byLength = new ArrayList<>(values.entrySet());
    byLength.sort(Comparator.comparingInt((Map.Entry<String, String> e) -> e.getKey().length()).reversed());
    for (Map.Entry<String, String> e : byLength) {
      masked = masked.replace(e.getKey(), e.getValue());
    }
    return masked;
  }
}
