package dev.haproxysd.haproxy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs {@code haproxy -c -f FILE} — without {@code -q}, which would hide the {@code [ALERT]} lines that say why a
 * config was rejected.
 */
public final class HaproxyChecker {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  // "[ALERT]    (1234) : config : parsing [x.cfg:3] : ..." -> "config : parsing [x.cfg:3] : ..."
  private static final Pattern LEVEL_LINE = Pattern.compile("\\[(ALERT|WARNING)\\]\\s*(?:\\(\\d+\\)\\s*)?:\\s*(.*)");

  private final String binary;
  private final ProcessRunner runner;

  public HaproxyChecker(String binary, ProcessRunner runner) {
    this.binary = binary;
    this.runner = runner;
  }

  /**
   * @param shownAs the name to show instead of {@code config}'s path in haproxy's messages (e.g. for a temp file)
   * @throws HaproxyNotFoundException when the binary cannot be run
   */
  public CheckResult check(Path config, String shownAs) {
    ProcessRunner.Result result;
    try {
      result = runner.run(List.of(binary, "-c", "-f", config.toString()), TIMEOUT);
    } catch (ProcessRunner.ProcessTimeoutException e) {
      throw new HaproxyNotFoundException(binary + " -c: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new HaproxyNotFoundException(
          "cannot run '" + binary + "': " + e.getMessage() + " (install haproxy or pass --haproxy-bin PATH)", e);
    }
    List<String> alerts = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    String output = result.stderr() + "\n" + result.stdout();
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
}
