package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Sha256;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.HaproxyInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real signals to {@code apply --watch} in its own JVM ({@link WatchingMain}): SIGTERM while idle and while a cycle
 * is mid-install (held at the fault matrix's phases) exits 0 leaving the old or the new config, a consistent state
 * and no lock; SIGHUP re-reads the config file (a broken one keeps the settings, said once).
 */
class WatchSignalsTest {
  @TempDir Path dir;
  @AutoClose FakeAws aws = FakeAws.start();
  private HaproxyInstance.Layout layout;
  private Path state;
  private Path config;
  private Process watch;
  private BufferedReader err;

  @BeforeEach
  void groups() throws IOException {
    aws.group("web").tag("HAProxy:Service:Port", "8080");
    aws.asgInstance("web", "i-a", "InService", "10.0.0.1");
    aws.group("api").tag("HAProxy:Service:Port", "8080");
    aws.asgInstance("api", "i-b", "InService", "10.0.0.2");
    layout = HaproxyInstance.layout(dir);
    state = dir.resolve("state");
    config = Files.writeString(dir.resolve("haproxy-sd.conf"), "asg = web\n");
  }

  @AfterEach
  void kill() {
    if (watch != null) {
      watch.destroyForcibly();
    }
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sigtermWhileIdle_exits0AtOnce_andLeavesNoLock() throws Exception {
    start("none", "1h");
    expect("haproxy-sd: test: cycle 1 exit 0");
    signal("TERM");
    assertTrue(watch.waitFor(30, TimeUnit.SECONDS), "an hour's wait was cut short");
    assertEquals(0, watch.exitValue());
    assertConsistentAndUnlocked();
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sigtermMidInstall_finishesTheInstall_thenExits0() throws Exception {
    for (String phase : List.of("after-temp-write", "after-rename")) {
      Files.deleteIfExists(layout.configFile());
      deleteTree(state);
      start(phase, "1s");
      expect("haproxy-sd: test: paused at " + phase);
      signal("TERM");
      expect("haproxy-sd: test: cycle 1 exit 0");
      assertTrue(watch.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, watch.exitValue(), phase);
      assertTrue(Files.readString(layout.configFile()).contains("10.0.0.1"), "the new config, whole: " + phase);
      assertConsistentAndUnlocked();
    }
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void sighup_rereadsTheConfigFile_andABrokenOneKeepsTheSettings() throws Exception {
    start("none", "1s");
    expect("haproxy-sd: test: cycle 1 exit 0");
    assertTrue(Files.readString(layout.configFile()).contains("10.0.0.1"));
    Files.writeString(config, "asg = web,api\n");
    signal("HUP");
    expect("haproxy-sd: SIGHUP: re-read the config file; the next cycle uses it");
    String cycle = expectPrefix("haproxy-sd: test: cycle ");
    assertTrue(cycle.endsWith(" exit 0"), cycle);
    assertTrue(Files.readString(layout.configFile()).contains("10.0.0.2"), "api added after SIGHUP");

    Files.writeString(config, "asg = web,api\nno-such-key = 1\n");
    signal("HUP");
    String warning = expectPrefix("haproxy-sd: warning: SIGHUP: cannot re-read the settings (");
    assertTrue(warning.contains("no-such-key") && warning.endsWith("): keeping the previous ones"), warning);
    assertTrue(expectPrefix("haproxy-sd: test: cycle ").endsWith(" exit 0"));
    assertTrue(expectPrefix("haproxy-sd: test: cycle ").endsWith(" exit 0"), "said once, the cycles go on");
    assertTrue(Files.readString(layout.configFile()).contains("10.0.0.2"));
    signal("TERM");
    assertTrue(watch.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, watch.exitValue());
  }

  /** No temp file left, state.json names the installed bytes, and a one-shot apply gets the lock. */
  private void assertConsistentAndUnlocked() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(), files.filter(p -> p.getFileName().toString().startsWith(".haproxy.cfg.")).toList());
    }
    String sha = Sha256.of(Files.readAllBytes(layout.configFile())).hex();
    assertTrue(Files.readString(state.resolve("state.json")).contains("\"configSha256\": \"" + sha + "\""));
    List<String> args = new ArrayList<>(List.of("apply", "--asg", "web", "--region", "us-east-1", "--endpoint-url",
        aws.endpoint().toString(), "--config-file", layout.configFile().toString(), "--state-dir", state.toString(),
        "--template", HaproxyInstance.testTemplate().toString()));
    args.addAll(layout.templateVars());
    Cli.Result oneShot = Cli.run("", Map.of(), args);
    assertEquals(0, oneShot.code(), "not 18: the watch left no lock. " + oneShot.err());
  }

  private void start(String phase, String interval) throws IOException {
    List<String> args = new ArrayList<>(List.of(phase, "--config", config.toString(), "apply", "--watch", interval,
        "--region", "us-east-1", "--endpoint-url", aws.endpoint().toString(), "--config-file",
        layout.configFile().toString(), "--state-dir", state.toString(), "--template",
        HaproxyInstance.testTemplate().toString()));
    args.addAll(layout.templateVars());
    ProcessBuilder builder = Cli.javaProcess(WatchingMain.class.getName(), args)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(dir.resolve("watch.out").toFile());
    builder.environment().put("AWS_ACCESS_KEY_ID", FakeAws.ACCESS_KEY);
    // the fakes verify the signature against the build's secret
    builder.environment().put("AWS_SECRET_ACCESS_KEY", System.getProperty("aws.secretAccessKey"));
    builder.environment().put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
    builder.environment().put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
    builder.environment().put("AWS_EC2_METADATA_DISABLED", "true");
    builder.environment().remove("HAPROXY_SD_CONFIG");
    watch = builder.start();
    err = new BufferedReader(new InputStreamReader(watch.getErrorStream(), StandardCharsets.UTF_8));
  }

  private void signal(String name) throws Exception {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(watch.pid())).inheritIO().start();
    assertEquals(0, kill.waitFor());
  }

  private void expect(String line) throws IOException {
    assertEquals(line, expectPrefix(line));
  }

  /** The next stderr line starting with {@code prefix}, skipping the watch's own info lines. */
  private String expectPrefix(String prefix) throws IOException {
    List<String> seen = new ArrayList<>();
    for (String line = err.readLine(); line != null; line = err.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
      seen.add(line);
    }
    throw new AssertionError("no line starting with '" + prefix + "'; stderr was: " + seen);
  }

  private static void deleteTree(Path root) throws IOException {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
