package dev.haproxysd.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.HaproxyInstance;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real {@code haproxy -c}, run in an environment that holds a secret the config expands. */
class HaproxyCheckerTest {
  private static final String SECRET = "s3cr3t-planted-value";
  private static final Map<String, String> ENV = Map.of("STATS_PW", SECRET, "SHORT", "on");
  @TempDir Path dir;

  /** ProcessRunner.system(), plus {@link #ENV} in the child's environment. */
  private static final ProcessRunner WITH_ENV = (command, timeout) -> {
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(ENV);
    Process process = builder.start();
    try {
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return new ProcessRunner.Result(process.exitValue(), out, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  };

  @Test
  void alertThatQuotesAnExpandedVariable_showsItsNameNotItsValue() throws IOException {
    Path config = dir.resolve("h.cfg");
    Files.writeString(config, "defaults\n  mode http\n  timeout client 1s\n  timeout server 1s\n  timeout connect 1s\n"
        + "frontend f\n  bind 127.0.0.1:8\n  http-request deny if { \"${STATS_PW}\" }\n");

    CheckResult result = new HaproxyChecker(HaproxyInstance.BINARY, WITH_ENV, ENV).check(config, "h.cfg");

    assertFalse(result.valid());
    assertTrue(result.firstAlert().contains("unknown fetch method '${STATS_PW}'"), result.firstAlert());
    assertFalse(result.alerts().toString().contains(SECRET), result.alerts().toString());
  }

  @Test
  void missingBinary_isOneLineNamingIt() {
    HaproxyNotFoundException e = assertThrows(HaproxyNotFoundException.class,
        () -> new HaproxyChecker("/nonexistent/haproxy", ProcessRunner.system()).check(dir.resolve("x"), "x"));
    assertEquals("cannot run '/nonexistent/haproxy': No such file or directory", e.getMessage());
    assertTrue(e.missing());
  }
}
