package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Log;
import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.state.StateStore;
import dev.haproxysd.state.WatchStatus;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.FakeClock;
import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.Inventories;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} against the states real {@code apply} runs leave (on a fake clock, the candidate checked by the
 * real haproxy -c): none yet, applied, refused with a pending shrink, quarantined, draining, corrupt, written by an
 * older haproxy-sd, and with a watching process; text and JSON, and the exit status of each.
 */
class StatusCliTest {
  @TempDir Path dir;
  private final FakeClock clock = new FakeClock();
  private HaproxyInstance.Layout layout;
  private Path state;
  private Path inventory;

  @BeforeEach
  void layout() {
    layout = HaproxyInstance.layout(dir);
    state = dir.resolve("state");
    inventory = dir.resolve("inventory.json");
  }

  @Test
  void noStateDirectory_orAnEmptyOne_isOneLineAndExit26() throws IOException {
    Cli.Result missing = status();
    assertEquals(26, missing.code());
    assertTrue(missing.oneErrorLine(), missing.err());
    assertEquals("haproxy-sd: " + state + ": no such state directory (no apply has run with this --state-dir yet)\n",
        missing.err());
    assertEquals("", missing.out());

    Files.createDirectories(state);
    Cli.Result empty = status("-o", "json");
    assertEquals(26, empty.code());
    assertEquals("haproxy-sd: no apply run recorded in " + state + " yet (the first run is still to come, or another "
        + "--state-dir is meant)\n", empty.err());
    assertEquals("", empty.out(), "no JSON when there is nothing to describe");
  }

  @Test
  void afterAnAppliedRun_showsTheOutcomeTheConfigAndHowHaproxyRunsIt_andExits0() {
    Inventories.write(inventory, Map.of("web", List.of(8081, 8082)));
    Path metrics = dir.resolve("haproxy_sd.prom");
    assertEquals(0, apply().code());
    clock.advance(Duration.ofMinutes(1));
    assertEquals(0, apply("--metrics-file", metrics.toString()).code());
    clock.advance(Duration.ofMinutes(2));
    Cli.Result withMetrics = status("--metrics-file", metrics.toString());
    assertTrue(withMetrics.out().endsWith("\nmetrics file     the latest run finished 2026-01-01T00:01:00Z (2m ago), "
        + "exit 0\n"), withMetrics.out());
    JsonObject fromMetrics = json(status("--metrics-file", metrics.toString(), "-o", "json"))
        .getAsJsonObject("metricsFile");
    assertEquals("2026-01-01T00:01:00Z", fromMetrics.get("lastRunFinishedAt").getAsString());
    assertTrue(fromMetrics.get("inventoryDiscoveredAt").isJsonNull(), "no shared inventory");

    Cli.Result text = status();
    assertEquals(0, text.code(), text.err());
    assertEquals("", text.err());
    String sha = sha256(layout.configFile());
    assertEquals("last run         exit 0, no run failed since 2026-01-01T00:00:00Z (3m ago)\n"
        + "installed        " + layout.configFile() + " sha256 " + sha.substring(0, 12) + ", applied "
        + "2026-01-01T00:00:00Z (3m ago); haproxy runs it: assumed\n", text.out());

    JsonObject json = json(status("-o", "json"));
    assertEquals(1, json.get("version").getAsInt());
    JsonObject last = json.getAsJsonObject("lastRun");
    assertTrue(last.get("succeeded").getAsBoolean());
    assertEquals(0, last.get("exitCode").getAsInt());
    assertTrue(last.get("outcome").isJsonNull(), "successes all end alike");
    assertTrue(last.get("message").isJsonNull());
    assertEquals(sha, json.getAsJsonObject("installed").get("sha256").getAsString());
    assertEquals("assumed", json.getAsJsonObject("installed").get("runs").getAsString());
    assertTrue(json.get("pendingShrink").isJsonNull());
    assertEquals(0, json.getAsJsonArray("quarantined").size());
    assertTrue(json.get("watch").isJsonNull());
  }

  @Test
  void aRefusedShrink_showsThePendingShrinkAndWhatConfirmsIt_andExits25() {
    Inventories.write(inventory, Map.of("web", List.of(8081, 8082, 8083, 8084)));
    assertEquals(0, apply().code());
    clock.advance(Duration.ofMinutes(1));
    Inventories.write(inventory, Map.of("web", List.of(8081)));
    Cli.Result refused = apply();
    assertEquals(19, refused.code(), refused.err());
    clock.advance(Duration.ofMinutes(1));

    Cli.Result text = status();
    assertEquals(25, text.code(), text.err());
    assertEquals("", text.err(), "a failed run is what status reports, not a failure of status");
    List<String> lines = text.out().lines().toList();
    assertEquals("last run         exit 19, refused, every run since 2026-01-01T00:01:00Z (1m ago)", lines.get(0));
    assertEquals(" ".repeat(17) + refused.err().strip().substring("haproxy-sd: ".length()), lines.get(1),
        "the run's own stderr line");
    assertTrue(text.out().contains("pending shrink   3 servers to remove, seen in 1 consecutive run since "
        + "2026-01-01T00:01:00Z (1m ago); applied by the run that sees it 3 times (--confirm-runs 3, 2 more), or by "
        + "apply --force\n"), text.out());

    Cli.Result jsonRun = status("-o", "json");
    assertEquals(25, jsonRun.code());
    JsonObject json = json(jsonRun);
    assertFalse(json.getAsJsonObject("lastRun").get("succeeded").getAsBoolean());
    assertEquals(19, json.getAsJsonObject("lastRun").get("exitCode").getAsInt());
    assertEquals("refused", json.getAsJsonObject("lastRun").get("outcome").getAsString());
    JsonObject pending = json.getAsJsonObject("pendingShrink");
    assertEquals(3, pending.get("servers").getAsInt());
    assertEquals(1, pending.get("runs").getAsInt());
    assertEquals(3, pending.get("confirmRuns").getAsInt());
    assertEquals("2026-01-01T00:01:00Z", pending.get("firstSeen").getAsString());

    clock.advance(Duration.ofMinutes(1));
    assertEquals(0, apply("--force").code(), "forced through");
    assertEquals(0, status().code(), "the last run succeeded again");
    byte[] recorded = readLastRun();
    clock.advance(Duration.ofMinutes(1));
    assertEquals(0, apply().code());
    assertTrue(java.util.Arrays.equals(recorded, readLastRun()), "a success after a success writes nothing");
    assertTrue(status().out().startsWith("last run         exit 0, no run failed since 2026-01-01T00:03:00Z (1m "
        + "ago)\n"), status().out());
  }

  @Test
  void aQuarantinedConfig_showsHaproxysReason_andExits25() throws IOException {
    Inventories.write(inventory, Map.of("web", List.of(8081)));
    Path broken = Files.writeString(dir.resolve("broken.cfg.ftl"), "global\n    no-such-keyword-here\n");
    Cli.Result rejected = apply("--template", broken.toString());
    assertEquals(14, rejected.code(), rejected.err());
    Cli.Result again = apply("--template", broken.toString());
    assertEquals(21, again.code(), again.err());

    Cli.Result text = status();
    assertEquals(25, text.code());
    assertTrue(text.out().startsWith("last run         exit 21, quarantined, every run since 2026-01-01T00:00:00Z (0s ago)\n"),
        text.out());
    assertTrue(text.out().contains("\nquarantined      "), text.out());
    assertTrue(text.out().contains("failed 2026-01-01T00:00:00Z (0s ago): "), text.out());
    assertTrue(text.out().contains("no-such-keyword-here"), "haproxy's reason: " + text.out());
    assertFalse(text.out().contains("\ninstalled"), "nothing was ever installed: " + text.out());

    JsonObject json = json(status("-o", "json"));
    assertEquals(1, json.getAsJsonArray("quarantined").size());
    assertTrue(json.getAsJsonArray("quarantined").get(0).getAsJsonObject().get("reason").getAsString()
        .contains("no-such-keyword-here"));
    assertTrue(json.get("installed").isJsonNull());
  }

  @Test
  void aDrainingInstance_showsSinceWhenAndWhatHoldsItsCompletionBack() {
    try (FakeAws aws = FakeAws.start()) {
      aws.group("web").tag("HAProxy:Service:Port", "8080").hook("drain", "autoscaling:EC2_INSTANCE_TERMINATING",
          3600);
      aws.asgInstance("web", "i-a", "InService", "10.0.0.1");
      aws.asgInstance("web", "i-b", "Terminating:Wait", "10.0.0.2");
      List<String> lifecycle = List.of("--asg", "web", "--region", "us-east-1", "--endpoint-url",
          aws.endpoint().toString(), "--lifecycle-hook", "drain", "--drain-min", "10m");
      assertEquals(0, run(lifecycle).code());
      clock.advance(Duration.ofMinutes(4));

      Cli.Result text = status();
      assertEquals(0, text.code(), text.err());
      assertTrue(text.out().contains("draining         web/i-b since 2026-01-01T00:00:00Z (4m ago); waits for "
          + "--drain-min until 2026-01-01T00:10:00Z, sessions not counted (no --runtime-api) (--drain-max completes "
          + "it regardless)\n"), text.out());
      JsonObject d = json(status("-o", "json")).getAsJsonArray("draining").get(0).getAsJsonObject();
      assertEquals("i-b", d.get("instance").getAsString());
      assertEquals("2026-01-01T00:10:00Z", d.get("drainMinPasses").getAsString());
      assertTrue(d.get("sessions").isJsonNull());
      assertTrue(d.get("completed").isJsonNull());
    }
  }

  @Test
  void aCorruptStateFile_isNamedOnce_andAnOlderStateWithoutLastRunStillAnswers() throws IOException {
    Inventories.write(inventory, Map.of("web", List.of(8081)));
    assertEquals(0, apply().code());
    Files.delete(state.resolve("last-run.json")); // as an older haproxy-sd left it
    Cli.Result old = status();
    assertEquals(0, old.code(), old.err());
    assertTrue(old.out().startsWith("last run         exit 0, at 2026-01-01T00:00:00Z (0s ago) (from "
        + "state.json: no last-run.json yet)\n"), old.out());

    Files.writeString(state.resolve("quarantine.json"), "{not json");
    Cli.Result partly = status();
    assertEquals(0, partly.code());
    assertTrue(partly.out().contains("\nunreadable       quarantine.json: not a quarantine list: "), partly.out());

    Files.writeString(state.resolve("state.json"), "{\"version\": 1, \"configFile\": 7}");
    Cli.Result corrupt = status("-o", "json");
    assertEquals(26, corrupt.code());
    assertTrue(corrupt.oneErrorLine(), corrupt.err());
    assertTrue(corrupt.err().startsWith("haproxy-sd: " + state.resolve("state.json") + " is unreadable ("),
        corrupt.err());
    assertTrue(corrupt.err().endsWith(") and no run is recorded beside it; the next apply rewrites it\n"),
        corrupt.err());
    assertEquals("", corrupt.out());
  }

  @Test
  void aWatchingProcess_isShownWithItsCycles_andOneThatEndedSaysSo() throws IOException {
    Inventories.write(inventory, Map.of("web", List.of(8081)));
    assertEquals(0, apply().code());
    StateStore store = new StateStore(state, Log.SILENT);
    Instant t = clock.now();
    long self = ProcessHandle.current().pid();
    Instant started = ProcessHandle.current().info().startInstant().orElseThrow();
    store.recordWatch(new WatchStatus(self, started, Duration.ofSeconds(30), 12, t, t.plusSeconds(1), 0, 0,
        t.plusSeconds(30)));
    Cli.Result running = status();
    assertTrue(running.out().contains("\nwatch            pid " + self + ", every 30s since "), running.out());
    assertTrue(running.out().contains(": 12 cycles, the last finished 2026-01-01T00:00:01Z"), running.out());
    assertTrue(running.out().endsWith("(exit 0), next at 2026-01-01T00:00:30Z\n"), running.out());
    JsonObject watch = json(status("-o", "json")).getAsJsonObject("watch");
    assertTrue(watch.get("running").getAsBoolean());
    assertEquals(12, watch.get("cycles").getAsInt());

    Process ended = new ProcessBuilder("true").start();
    long gone = ended.pid();
    waitFor(ended);
    store.recordWatch(new WatchStatus(gone, t, Duration.ofSeconds(30), 3, t, t.plusSeconds(1), 10, 2,
        t.plusSeconds(30)));
    Cli.Result stopped = status();
    assertTrue(stopped.out().contains("\nwatch            not running (pid " + gone + " ended; its last cycle "
        + "finished 2026-01-01T00:00:01Z, exit 10)\n"), stopped.out());
  }

  @Test
  @Timeout(120)
  void withARuntimeApi_showsHaproxysWorker_andThatItRunsTheReloadedConfig() {
    Inventories.write(inventory, Map.of("web", List.of(8081)));
    try (HaproxyInstance haproxy = HaproxyInstance.start(layout, Map.of(), free -> {
      layout = free;
      assertEquals(0, main(withTemplate(List.of("render", "--inventory", inventory.toString(), "--output",
          free.configFile().toString()))).code());
    })) {
      Inventories.write(inventory, Map.of("web", List.of(8081, 8082)));
      List<String> apply = withTemplate(List.of("apply", "--inventory", inventory.toString(), "--config-file",
          layout.configFile().toString(), "--state-dir", state.toString(), "--reload", "master-socket:"
          + layout.masterSocket()));
      Cli.Result applied = main(apply, Clock.SYSTEM);
      assertEquals(0, applied.code(), applied.err());

      Cli.Result text = status("--runtime-api", layout.statsSocket().toString());
      assertEquals(0, text.code(), text.err());
      assertTrue(text.out().contains("haproxy runs it: reloaded\n"), text.out());
      int worker = haproxy.workerPids().get(0);
      assertTrue(text.out().contains("\nhaproxy          worker pid " + worker + " started "), text.out());
      JsonObject json = json(status("-o", "json", "--runtime-api", layout.statsSocket().toString()));
      assertEquals(worker, json.getAsJsonObject("haproxy").get("workerPid").getAsInt());
      assertEquals("reloaded", json.getAsJsonObject("installed").get("runs").getAsString());
    }
    Cli.Result gone = status("--runtime-api", layout.statsSocket().toString());
    assertEquals(0, gone.code(), "haproxy not answering is shown, not a failure of status: " + gone.err());
    assertTrue(gone.out().contains("\nhaproxy          no answer from the "), gone.out());
  }

  private List<String> withTemplate(List<String> args) {
    List<String> all = new ArrayList<>(args);
    all.addAll(List.of("--template", HaproxyInstance.testTemplate().toString()));
    all.addAll(layout.templateVars());
    return all;
  }

  private byte[] readLastRun() {
    try {
      return Files.readAllBytes(state.resolve("last-run.json"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void waitFor(Process p) {
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Cli.Result apply(String... extra) {
    List<String> args = new ArrayList<>(List.of("--inventory", inventory.toString()));
    args.addAll(List.of(extra));
    return run(args);
  }

  /** One apply on the fake clock: the test template unless {@code extra} names one, no reload. */
  private Cli.Result run(List<String> extra) {
    List<String> args = new ArrayList<>(List.of("apply", "--config-file", layout.configFile().toString(),
        "--state-dir", state.toString()));
    if (!extra.contains("--template")) {
      args.addAll(List.of("--template", HaproxyInstance.testTemplate().toString()));
    }
    args.addAll(layout.templateVars());
    args.addAll(extra);
    return main(args);
  }

  private Cli.Result status(String... extra) {
    List<String> args = new ArrayList<>(List.of("status", "--state-dir", state.toString()));
    args.addAll(List.of(extra));
    return main(args);
  }

  private Cli.Result main(List<String> args) {
    return main(args, clock);
  }

  private Cli.Result main(List<String> args, Clock on) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        Cli.hermetic(state), RunObserver.NONE, on, args.toArray(String[]::new));
    return new Cli.Result(code, out.toString(), err.toString());
  }

  private static JsonObject json(Cli.Result result) {
    return JsonParser.parseString(result.out()).getAsJsonObject();
  }

  private static String sha256(Path file) {
    try {
      return dev.haproxysd.model.Sha256.of(Files.readAllBytes(file)).hex();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
