package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.haproxy.ProcessStarts;
import dev.haproxysd.model.Clock;
import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.HttpBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scale-in as an operator lives it, with the default guard options: a real master-worker haproxy 2.6 on 127.0.0.1
 * (slots, stats socket, server-state-file), the fake AWS endpoint over real HTTP, JDK HttpServer backends, and a
 * clock whose wall time the test moves (the confirm window's first-seen time) while sleeps and deadlines stay real.
 * "No reload" is proved by the master's {@code show proc}: the same reload counter and the same worker.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class ScaleInWithHaproxyTest {
  private static final Instant START = Instant.parse("2026-03-01T02:00:00Z");

  @TempDir Path dir;
  private HaproxyInstance.Layout layout;
  private HaproxyInstance haproxy;
  private FakeAws aws;
  private Path stateDir;
  private Path serverStateFile;
  private Path metrics;
  private List<String> source;
  private final Map<String, HttpBackend> backends = new TreeMap<>();
  private final WallClock clock = new WallClock(START);

  /** Real sleeps and monotonic time (haproxy takes real time to answer); a wall time the test sets. */
  private static final class WallClock implements Clock {
    private Instant now;

    WallClock(Instant now) {
      this.now = now;
    }

    @Override
    public synchronized Instant now() {
      return now;
    }

    synchronized void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public long nanoTime() {
      return Clock.SYSTEM.nanoTime();
    }

    @Override
    public void sleep(Duration duration) throws InterruptedException {
      Clock.SYSTEM.sleep(duration);
    }
  }

  @BeforeEach
  void start() throws IOException {
    layout = HaproxyInstance.layout(dir);
    stateDir = dir.resolve("state");
    serverStateFile = dir.resolve("server-state");
    metrics = dir.resolve("haproxy_sd.prom");
    Files.writeString(serverStateFile, "1\n");
    aws = FakeAws.start();
  }

  @AfterEach
  void stop() {
    if (haproxy != null) {
      haproxy.close();
    }
    aws.close();
    backends.values().forEach(HttpBackend::close);
  }

  @Test
  void aScaleInByDesiredCapacity_appliesHitlessWithTheDefaultOptions() throws IOException {
    group("web", "A", "B", "C", "D", "E", "F");
    startHaproxyOnTheRenderedConfig();
    assertEquals(0, apply().code());
    ProcStatus start = haproxy.showProc();

    // The group's policy scales in from 6 to 1: five members terminate (drain), then leave the group.
    aws.group("web").desiredCapacity(1);
    for (String name : List.of("B", "C", "D", "E", "F")) {
      aws.group("web").lifecycle(id(name), "Terminating:Wait");
    }
    Cli.Result draining = apply();
    assertEquals(0, draining.code(), draining.err());
    assertTrue(draining.err().contains("runtime changes: 5, reload: no"), draining.err());
    assertEquals(Set.of("A"), traffic(8), "terminating servers get no new requests");

    for (String name : List.of("B", "C", "D", "E", "F")) {
      aws.group("web").removeMember(id(name));
    }
    Cli.Result gone = apply();

    assertEquals(0, gone.code(), "5 of 6 servers go, explained by DesiredCapacity 1: " + gone.err());
    assertTrue(gone.err().contains("runtime changes: 5, reload: no"), gone.err());
    assertNoReloadSince(start);
    assertEquals(Set.of("A"), traffic(8));
    assertTrue(Files.readString(metrics).contains("\nhaproxy_sd_last_run_runtime_changes 5\n"));
  }

  @Test
  void instancesDyingWhileDesiredCapacityStays_areRefusedOnEveryRun() throws IOException {
    group("web", "A", "B", "C", "D", "E", "F");
    startHaproxyOnTheRenderedConfig();
    assertEquals(0, apply().code());
    ProcStatus start = haproxy.showProc();
    String config = Files.readString(layout.configFile());

    aws.group("web").desiredCapacity(6);
    for (String name : List.of("C", "D", "E", "F")) {
      aws.group("web").removeMember(id(name)); // died; the group still wants 6
    }
    for (int run = 1; run <= 3; run++) {
      clock.advance(Duration.ofMinutes(1));
      Cli.Result refused = apply();
      assertEquals(ExitCode.GUARD_REFUSED.code, refused.code(), refused.err());
      assertEquals(List.of("haproxy-sd: guard refused: 4 of 6 servers (66%) are missing while their Auto Scaling "
          + "group still wants them (web wants 6, would serve 2), more than --max-removal 50%: instances died, a "
          + "partial answer, or a selection or tag typo (removed: web/" + id("C") + " web/" + id("D") + " web/"
          + id("E") + " web/" + id("F") + "); nothing was written or reloaded (check discovery; --force applies it "
          + "once)"), refused.errLines());
      assertTrue(Files.readString(metrics).contains("\nhaproxy_sd_last_run_refused{kind=\"unexplained\"} 1\n"));
    }
    assertEquals(config, Files.readString(layout.configFile()));
    assertFalse(Files.exists(stateDir.resolve("pending-shrink.json")), "not a shrink that repetition confirms");
    assertNoReloadSince(start);
    assertEquals(Set.of("A", "B", "C", "D", "E", "F"), traffic(24), "haproxy keeps every server it had");
  }

  @Test
  void aCloudMapShrink_appliesOnTheThirdConsistentRun_andNeverAfterASingleGlitch() throws IOException {
    FakeAws.CloudMapService web = aws.namespace("internal").service("web");
    Map<String, FakeAws.CloudMapInstance> instances = new TreeMap<>();
    for (String name : List.of("A", "B", "C", "D")) {
      instances.put(name, web.instance("web-" + name, "127.0.0.1", backend(name).port()));
    }
    source = List.of("--cloudmap-namespace", "internal");
    startHaproxyOnTheRenderedConfig();
    assertEquals(0, apply().code());
    ProcStatus start = haproxy.showProc();

    // A glitch: for one run, three of four instances look unhealthy.
    List.of("B", "C", "D").forEach(n -> instances.get(n).health("UNHEALTHY"));
    Instant glitchSeen = clock.now();
    Cli.Result glitch = apply();
    assertEquals(ExitCode.GUARD_REFUSED.code, glitch.code(), glitch.err());
    assertTrue(glitch.err().contains("3 of 4 servers (75%) would be removed by a source without desired capacity, "
        + "more than --max-removal 50%; seen in 1 of 3 consecutive runs since " + glitchSeen), glitch.err());
    List.of("B", "C", "D").forEach(n -> instances.get(n).health("HEALTHY"));
    clock.advance(Duration.ofMinutes(1));
    assertEquals(0, apply().code(), "the glitch is over");
    assertFalse(Files.exists(stateDir.resolve("pending-shrink.json")), "a run without the shrink ends its streak");

    // A real scale-in: the same three go away and stay away.
    List.of("B", "C", "D").forEach(n -> instances.get(n).health("UNHEALTHY"));
    clock.advance(Duration.ofMinutes(1));
    Instant firstSeen = clock.now();
    for (int run = 1; run <= 2; run++) {
      Cli.Result refused = apply();
      assertEquals(ExitCode.GUARD_REFUSED.code, refused.code(), refused.err());
      assertTrue(refused.err().contains("seen in " + run + " of 3 consecutive runs since " + firstSeen),
          refused.err());
      String prom = Files.readString(metrics);
      assertTrue(prom.contains("\nhaproxy_sd_pending_shrink_runs " + run + "\n"), prom);
      assertTrue(prom.contains("\nhaproxy_sd_pending_shrink_first_seen_timestamp_seconds "
          + firstSeen.getEpochSecond() + ".000\n"), prom);
      assertTrue(prom.contains("\nhaproxy_sd_last_run_refused{kind=\"unconfirmed\"} 1\n"), prom);
      assertEquals(Set.of("A", "B", "C", "D"), traffic(16));
      clock.advance(Duration.ofMinutes(1));
    }
    Cli.Result third = apply("-v");

    assertEquals(0, third.code(), third.err());
    assertTrue(third.err().contains("applying a shrink of 3 of 4 servers beyond --max-removal: seen in 3 "
        + "consecutive runs since " + firstSeen), third.err());
    assertTrue(third.err().contains("runtime changes: 3, reload: no"), third.err());
    assertNoReloadSince(start);
    assertEquals(Set.of("A"), traffic(8));
    assertFalse(Files.exists(stateDir.resolve("pending-shrink.json")), "applied: nothing pending");
    assertTrue(Files.readString(metrics).contains("\nhaproxy_sd_pending_shrink_runs 0\n"));
  }

  @Test
  void haproxyStartedBeforeTheFirstApply_takesTheNextWeightChangeWithoutANewWorker() throws IOException {
    group("web", "A", "B", "C");
    startHaproxyOnTheRenderedConfig();
    ProcStatus start = haproxy.showProc();

    Cli.Result first = apply("-v");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("haproxy runs the installed config (worker "), first.err());
    assertTrue(Files.readString(stateDir.resolve("state.json")).contains("\"proof\": \"adopted\""));

    aws.instance(id("B")).tag("srv_weight", "7680") /* SRV-style: 7680/256 = weight 30 */;
    Cli.Result weight = apply();

    assertEquals(0, weight.code(), weight.err());
    assertTrue(weight.err().contains("runtime changes: 1, reload: no"), weight.err());
    assertNoReloadSince(start);
    assertEquals(30, userWeightOf(backend("B").port()), "B serves with weight 30");
  }

  @Test
  void haproxyStartedInTheSecondTheFileWasWritten_isAdopted_bootstrapStyle() throws IOException {
    group("web", "A", "B", "C");
    List<String> render = new ArrayList<>(List.of("render", "--output", layout.configFile().toString()));
    render.addAll(awsArgs());
    render.addAll(layout.slotsTemplateArgs(10, serverStateFile));
    assertEquals(0, run(render).code());
    Instant written = null;
    for (int attempt = 0; written == null && attempt < 5; attempt++) {
      // render > haproxy.cfg && systemctl start haproxy: the file is written in the second haproxy starts, just
      // before its master. A master started in the first ticks of its second leaves no room: start again.
      if (haproxy != null) {
        haproxy.close();
      }
      haproxy = HaproxyInstance.start(layout);
      Instant second = Instant.ofEpochSecond(Long.parseLong(haproxy.stats("show info").lines()
          .filter(l -> l.startsWith("Start_time_sec: ")).findFirst().orElseThrow().substring(16)));
      Instant master = ProcessStarts.system().startOf((int) haproxy.masterPid()).orElseThrow();
      Instant latest = master.minus(ProcessStarts.PRECISION);
      if (Duration.between(second, latest).toMillis() >= 10) {
        written = second.plus(Duration.between(second, latest).dividedBy(2));
      }
    }
    assertNotNull(written, "haproxy never started late enough in a second");
    Files.setLastModifiedTime(layout.configFile(), FileTime.from(written));
    ProcStatus start = haproxy.showProc();

    Cli.Result first = apply("-v");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("haproxy runs the installed config (worker "), first.err());

    aws.instance(id("B")).tag("srv_weight", "7680");
    Cli.Result weight = apply();
    assertEquals(0, weight.code(), weight.err());
    assertTrue(weight.err().contains("runtime changes: 1, reload: no"), weight.err());
    assertNoReloadSince(start);
  }

  @Test
  void haproxyStartedJustBeforeTheFileWasWritten_isNotAdopted() throws IOException {
    group("web", "A", "B", "C");
    startHaproxyOnTheRenderedConfig();
    // the file is written again a tick after the master started: after the config was read
    Instant master = ProcessStarts.system().startOf((int) haproxy.masterPid()).orElseThrow();
    Files.setLastModifiedTime(layout.configFile(), FileTime.from(master.plus(ProcessStarts.PRECISION)
        .plusMillis(1)));

    Cli.Result first = apply("-v");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("cannot prove haproxy runs the installed config (worker "), first.err());
    assertTrue(first.err().contains("started at ") && first.err().contains(", before "), first.err());
  }

  @Test
  void haproxyRunningAnOlderFile_isNotAdopted_andTheNextChangeReloads() throws IOException {
    group("web", "A", "B", "C");
    startHaproxyOnTheRenderedConfig();
    // The file changes under the running haproxy (an edit nobody reloaded): same bytes as rendered later, newer mtime.
    Files.setLastModifiedTime(layout.configFile(), FileTime.from(Instant.now().plusSeconds(60)));
    ProcStatus start = haproxy.showProc();

    Cli.Result first = apply("-v");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("cannot prove haproxy runs the installed config (worker "), first.err());
    assertTrue(first.err().contains("started at ") && first.err().contains(", before "), first.err());

    aws.instance(id("B")).tag("srv_weight", "7680");
    Cli.Result weight = apply();

    assertEquals(0, weight.code(), weight.err());
    assertTrue(weight.err().contains("runtime changes: 0, reload: yes (haproxy is not known to run the installed "
        + "config"), weight.err());
    assertEquals(start.reloads() + 1, haproxy.showProc().reloads());
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  private static String id(String name) {
    return "i-0eb" + name.toLowerCase(java.util.Locale.ROOT);
  }

  private HttpBackend backend(String name) {
    return backends.computeIfAbsent(name, HttpBackend::start);
  }

  private void group(String group, String... names) {
    source = List.of("--asg", group);
    for (String name : names) {
      aws.asgInstance(group, id(name), "InService", "127.0.0.1").tag("HAProxy:Instance:Port",
          Integer.toString(backend(name).port()));
    }
  }

  /**
   * Renders the config haproxy-sd would render and starts haproxy on it, as systemd would at boot: the file was
   * written a while before haproxy started.
   */
  private void startHaproxyOnTheRenderedConfig() throws IOException {
    List<String> render = new ArrayList<>(List.of("render", "--output", layout.configFile().toString()));
    render.addAll(awsArgs());
    render.addAll(layout.slotsTemplateArgs(10, serverStateFile));
    Cli.Result rendered = run(render);
    assertEquals(0, rendered.code(), rendered.err());
    Files.setLastModifiedTime(layout.configFile(), FileTime.from(Instant.now().minusSeconds(60)));
    haproxy = HaproxyInstance.start(layout);
  }

  private List<String> awsArgs() {
    List<String> args = new ArrayList<>(List.of("--region", "us-east-1", "--endpoint-url",
        aws.endpoint().toString(), "--aws-timeout", "10s", "--aws-attempt-timeout", "5s"));
    args.addAll(source);
    return args;
  }

  /** apply with the default guard options. */
  private Cli.Result apply(String... extra) {
    List<String> args = new ArrayList<>(List.of("apply", "--config-file", layout.configFile().toString(),
        "--state-dir", stateDir.toString(), "--reload", "master-socket:" + layout.masterSocket(), "--runtime-api",
        layout.statsSocket().toString(), "--metrics-file", metrics.toString()));
    args.addAll(awsArgs());
    args.addAll(layout.slotsTemplateArgs(10, serverStateFile));
    args.addAll(List.of(extra));
    return run(args);
  }

  private Cli.Result run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        Cli.hermetic(stateDir), RunObserver.NONE, clock, args.toArray(String[]::new));
    return new Cli.Result(code, out.toString(), err.toString());
  }


  private void assertNoReloadSince(ProcStatus start) {
    haproxy.assertNoReloadSince(start, "no reload, no new worker");
  }

  /** The runtime weight of the server on {@code port}, read from {@code show servers state} by the fixture. */
  private int userWeightOf(int port) {
    List<String> lines = haproxy.stats("show servers state web").lines().filter(l -> !l.isBlank()).toList();
    List<String> header = List.of(lines.get(1).substring(2).split(" "));
    for (String line : lines.subList(2, lines.size())) {
      String[] f = line.split(" ");
      if (Integer.parseInt(f[header.indexOf("srv_port")]) == port) {
        return Integer.parseInt(f[header.indexOf("srv_uweight")]);
      }
    }
    throw new AssertionError("no server on port " + port + " in " + lines);
  }

  /** Which backends {@code requests} GETs through haproxy reached. */
  private Set<String> traffic(int requests) {
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < requests; i++) {
      String answer = HttpBackend.get(layout.port());
      assertTrue(answer.startsWith("200 "), answer);
      seen.add(answer.substring(4));
    }
    return seen;
  }
}
