package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.Fault;
import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.HttpBackend;
import dev.haproxysd.testing.Inventories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fault matrix ({@link FaultRow}): each test starts from a healthy, applied state — a real master-worker haproxy
 * on 127.0.0.1, the fake AWS endpoint, JDK HttpServer backends — injects one fault, runs {@code apply} (in process,
 * or as a separate JVM where it must be SIGKILLed) and checks, through {@link #outcome}: the exit code is the row's,
 * stdout is empty, stderr is one line (plus haproxy's [ALERT] lines), haproxy still serves, the config file passes
 * {@code haproxy -c} and is the old or the new one, the previous config is recoverable, no planted secret appears in
 * any output or file; then the fault is removed and the next runs converge (the second one is silent and does not
 * reload).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard per row, not a timed assertion
class FaultMatrixTest {
  /** Planted secrets: they must never appear in stdout, stderr, the state dir, the metrics or the config. */
  static final String AWS_SECRET = "PLANTEDawsSecretKey0123456789abcdefghijkl";
  static final String STATS_PASSWORD = "PLANTED-stats-Pa55word";
  private static final Pattern SERVED = Pattern.compile("200 [ABC]");
  private static final Map<FaultRow, String> OBSERVED = new ConcurrentHashMap<>();
  private static String savedSecret;

  @TempDir Path dir;
  private HaproxyInstance.Layout layout;
  private HaproxyInstance haproxy;
  private FakeAws aws;
  private HttpBackend a;
  private HttpBackend b;
  private HttpBackend c;
  private Path stateDir;
  private Path metrics;
  private Path template;
  private List<String> source;
  private byte[] baseline;
  private final List<Process> processes = new ArrayList<>();
  private final List<Runnable> cleanups = new ArrayList<>();

  @BeforeAll
  static void plantAwsSecret() {
    savedSecret = System.getProperty("aws.secretAccessKey");
    System.setProperty("aws.secretAccessKey", AWS_SECRET);
  }

  @AfterAll
  static void restoreAndReport() throws IOException {
    if (savedSecret != null) {
      System.setProperty("aws.secretAccessKey", savedSecret);
    }
    StringBuilder report = new StringBuilder("| # | exit | stderr (first line) |\n|---|---|---|\n");
    for (FaultRow row : FaultRow.values()) {
      if (OBSERVED.containsKey(row)) {
        report.append("| ").append(row.id).append(" | ").append(OBSERVED.get(row)).append(" |\n");
      }
    }
    Path target = Path.of("target");
    if (Files.isDirectory(target)) {
      Files.writeString(target.resolve("fault-matrix-observed.md"), report);
    }
  }

  @BeforeEach
  void healthyAppliedState() throws IOException {
    Files.createDirectories(dir.resolve("etc"));
    stateDir = dir.resolve("state");
    metrics = dir.resolve("haproxy_sd.prom");
    template = dir.resolve("templates").resolve("haproxy.cfg.ftl");
    Files.createDirectories(template.getParent());
    try (var in = HaproxyInstance.class.getResourceAsStream("fault-matrix.cfg.ftl")) {
      Files.write(template, in.readAllBytes());
    }
    aws = FakeAws.start();
    a = HttpBackend.start("A");
    b = HttpBackend.start("B");
    c = HttpBackend.start("C");
    group("web", a, b, a, b, a);
    group("api", a);
    group("admin", b);
    source = List.of("--asg-tag", "haproxy-sd=on");

    Path empty = Inventories.write(dir.resolve("empty.json"), Map.of());
    haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir).withConfigFile(dir.resolve("etc").resolve(
        "haproxy.cfg")), Map.of("HAPROXY_STATS_PASSWORD", STATS_PASSWORD), free -> {
          layout = free;
          Cli.Result bootstrap = Cli.run(concat(List.of("render", "--inventory", empty.toString(), "--output",
              layout.configFile().toString(), "-t", template.toString()), layout.templateVars()));
          assertEquals(0, bootstrap.code(), bootstrap.err());
        });
    Cli.Result first = apply();
    assertEquals(0, first.code(), first.err());
    assertServes();
    baseline = Files.readAllBytes(layout.configFile());
  }

  @AfterEach
  void stop() {
    processes.forEach(Process::destroyForcibly);
    for (int i = cleanups.size() - 1; i >= 0; i--) {
      cleanups.get(i).run();
    }
    if (haproxy != null) {
      haproxy.close();
    }
    aws.close();
    a.close();
    b.close();
    c.close();
  }

  // ---- rows 1-8: AWS -------------------------------------------------------------------------------------------

  @Test
  void row01_throttledForEver() throws Exception {
    aws.inject(Fault.on("DescribeAutoScalingGroups").throttle());
    Cli.Result run = apply();
    outcome(FaultRow.THROTTLED_FOR_EVER, run, "DescribeAutoScalingGroups", "throttl");
    assertEquals(3, aws.requests("DescribeAutoScalingGroups") - 1, "3 attempts after the baseline's 1");
    aws.clearFaults();
    converge();
  }

  @Test
  void row02_throttledTwiceThenAnswered_appliesWithOneReload() throws Exception {
    aws.asgInstance("web", "i-0ebc", "InService", "127.0.0.1").tag("HAProxy:Instance:Port",
        Integer.toString(c.port()));
    aws.inject(Fault.on("DescribeAutoScalingGroups").times(2).throttle());
    ProcStatus before = haproxy.showProc();
    Cli.Result run = apply();
    outcome(FaultRow.THROTTLED_TWICE, run);
    assertEquals(before.reloads() + 1, haproxy.showProc().reloads(), "exactly one reload");
    assertTrue(Files.readString(layout.configFile()).contains("i-0ebc 127.0.0.1:" + c.port()));
    converge();
  }

  @Test
  void row03_serverErrorOnPage2Of3OfDescribeAutoScalingGroups() throws Exception {
    aws.pageSize("DescribeAutoScalingGroups", 1);
    awsFaultThenRecovery(FaultRow.ASG_PAGE_2_OF_3, Fault.on("DescribeAutoScalingGroups").page(2).serverError(),
        List.of("DescribeAutoScalingGroups"));
  }

  @Test
  void row04_serverErrorOnPage2OfDescribeInstances() throws Exception {
    aws.pageSize("DescribeInstances", 2);
    awsFaultThenRecovery(FaultRow.EC2_PAGE_2, Fault.on("DescribeInstances").page(2).serverError(),
        List.of("DescribeInstances"));
  }

  @Test
  void row05_accessDenied_namesTheIamAction() throws Exception {
    awsFaultThenRecovery(FaultRow.ACCESS_DENIED, Fault.on("DescribeInstances").accessDenied(),
        List.of("ec2:DescribeInstances"));
  }

  @Test
  void row06_apiHangs_theRunEndsAtItsTimeout() throws Exception {
    awsFaultThenRecovery(FaultRow.API_HANGS, Fault.on("DescribeInstances").hang(), List.of("timed out"),
        "--aws-timeout", "2s", "--aws-attempt-timeout", "1s");
  }

  @Test
  void row07_malformedReply() throws Exception {
    awsFaultThenRecovery(FaultRow.MALFORMED_REPLY, Fault.on("DescribeAutoScalingGroups").malformed(),
        List.of("malformed"));
  }

  @Test
  void row07_malformedJsonFromCloudMap() throws Exception {
    useCloudMap();
    aws.inject(Fault.on("DiscoverInstances").malformed());
    Cli.Result run = apply();
    assertEquals(ExitCode.DISCOVERY.code, run.code(), run.err());
    assertTrue(run.err().contains("malformed"), run.err());
    assertOneLine(run);
    aws.clearFaults();
    converge();
  }

  @Test
  void row08_selectedGroupNoLongerExists() throws Exception {
    source = List.of("--asg", "admin", "--asg", "api", "--asg", "web");
    assertEquals(0, apply().code(), "same inventory, selected by name");
    aws.deleteGroup("api");
    Cli.Result run = apply();
    outcome(FaultRow.GROUP_GONE, run, "api");
    group("api", a);
    converge();
  }

  // ---- rows 9-11: what AWS says is wrong --------------------------------------------------------------------------

  @Test
  void row09a_groupScaledToZero_isRefusedUntilAllowed() throws Exception {
    aws.group("api").removeMember("i-0a91");
    Cli.Result run = apply();
    outcome(FaultRow.SCALED_TO_ZERO, run, "service api had 1 server and would have none");
    Cli.Result allowed = apply("--allow-empty");
    assertEquals(0, allowed.code(), allowed.err());
    assertServes();
    group("api", a);
    converge();
  }

  @Test
  void row09b_instancesVanishingWhileTheGroupWantsThem_areRefusedOnEveryRun_andForceApplies() throws Exception {
    aws.group("web").desiredCapacity(5);
    for (int i = 2; i <= 5; i++) {
      aws.group("web").removeMember("i-0eb" + i);
    }
    for (int run = 1; run <= 2; run++) {
      outcome(FaultRow.SHRINK_80, apply(), "missing while their Auto Scaling group still wants them",
          "(web wants 5, would serve 1)", "more than --max-removal 50%");
    }
    ProcStatus before = haproxy.showProc();
    Cli.Result forced = apply("--force");
    outcome(FaultRow.SHRINK_FORCED, forced);
    assertEquals(before.reloads() + 1, haproxy.showProc().reloads());
    assertFalse(Files.readString(layout.configFile()).contains("i-0eb2"));
    converge();
  }

  @Test
  void row09d_aScaleInByDesiredCapacity_isApplied() throws Exception {
    aws.group("web").desiredCapacity(1);
    for (int i = 2; i <= 5; i++) {
      aws.group("web").removeMember("i-0eb" + i);
    }
    outcome(FaultRow.SCALED_IN, apply());
    assertFalse(Files.readString(layout.configFile()).contains("i-0eb2"));
    converge();
  }

  @Test
  void row10_cloudMapServiceAllUnhealthy_isRefusedByTheEmptyGuard() throws Exception {
    FakeAws.Namespace internal = useCloudMap();
    internal.service("web").instance("web-a", "127.0.0.1", a.port()).health("UNHEALTHY");
    internal.service("web").instance("web-b", "127.0.0.1", b.port()).health("UNHEALTHY");
    Cli.Result run = apply();
    outcome(FaultRow.CLOUDMAP_ALL_UNHEALTHY, run, "service web had 2 servers and would have none");
    internal.service("web").instance("web-a", "127.0.0.1", a.port()).health("HEALTHY");
    internal.service("web").instance("web-b", "127.0.0.1", b.port()).health("HEALTHY");
    converge();
  }

  @Test
  void row11_hostileTagValues_areRefusedWhenTheTemplateReadsThem() throws Exception {
    Map<FaultRow, String> hostile = new TreeMap<>(Map.of(
        FaultRow.HOSTILE_NEWLINE, "team\n    http-request return status 200",
        FaultRow.HOSTILE_HASH, "team#web",
        FaultRow.HOSTILE_SPACE, "team web",
        FaultRow.HOSTILE_QUOTES, "team\"web'",
        FaultRow.HOSTILE_SEMICOLON, "team;web",
        FaultRow.HOSTILE_ENV, "${HAPROXY_STATS_PASSWORD}",
        FaultRow.HOSTILE_64K, "x".repeat(64 * 1024)));
    for (Map.Entry<FaultRow, String> row : hostile.entrySet()) {
      aws.group("web").tag("owner", row.getValue());
      Cli.Result run = apply();
      outcome(row.getKey(), run, "service 'web' tag 'owner'");
      assertTrue(run.err().length() < 400, "one short line, not the value: " + run.err().length());
    }
    aws.group("web").tag("owner", "team-web");
    converge();
  }

  @Test
  void row11h_nulInACloudMapAttribute() throws Exception {
    FakeAws.Namespace internal = useCloudMap();
    internal.service("web").instance("web-a", "127.0.0.1", a.port()).attribute("label", "web\u0000a");
    Cli.Result run = apply();
    outcome(FaultRow.HOSTILE_NUL, run, "web-a", "label");
    internal.service("web").instance("web-a", "127.0.0.1", a.port()).attribute("label", "web-a");
    converge();
  }

  @Test
  void row11i_hostileServiceNameTag_isRefusedBeforeRendering() throws Exception {
    aws.group("web").tag("HAProxy:Service:Name", "web\nbackend evil");
    Cli.Result run = apply();
    outcome(FaultRow.HOSTILE_SERVICE_NAME, run, "web", "HAProxy:Service:Name");
    aws.group("web").tag("HAProxy:Service:Name", "web");
    converge();
  }

  @Test
  void row11j_hostileInstancePortTag_leavesThatServerOut() throws Exception {
    aws.instance("i-0eb5").tag("HAProxy:Instance:Port", "80\n    server evil 10.9.9.9:80");
    Cli.Result run = apply();
    outcome(FaultRow.HOSTILE_INSTANCE_PORT, run, "i-0eb5");
    assertFalse(Files.readString(layout.configFile()).contains("evil"));
    aws.instance("i-0eb5").tag("HAProxy:Instance:Port", Integer.toString(a.port()));
    converge();
  }

  // ---- rows 12-16: template, haproxy -c, reload, haproxy itself ---------------------------------------------------

  @Test
  void row12_templateErrors_stopBeforeAnyAwsCall() throws Exception {
    Files.writeString(dir.resolve("outside.ftl"), "SECRET-OUTSIDE\n");
    String good = Files.readString(template);
    Map<FaultRow, String> broken = new TreeMap<>(Map.of(
        FaultRow.TEMPLATE_SYNTAX, "<#if>\n",
        FaultRow.TEMPLATE_UNDEFINED, "${nope}\n",
        FaultRow.TEMPLATE_NEW, "<#assign x = \"freemarker.template.utility.Execute\"?new()>${x(\"id\")}\n",
        FaultRow.TEMPLATE_API, "${services?api.size()}\n",
        FaultRow.TEMPLATE_INCLUDE_OUTSIDE, "<#include \"../outside.ftl\">\n"));
    int before = aws.requests().size();
    assertEquals(0, apply().code());
    int discovery = aws.requests().size() - before;
    for (Map.Entry<FaultRow, String> row : broken.entrySet()) {
      Files.writeString(template, row.getValue() + good);
      int calls = aws.requests().size();
      Cli.Result run = apply();
      int made = aws.requests().size() - calls;
      outcome(row.getKey(), run, "haproxy.cfg.ftl:1:");
      assertFalse(run.err().contains("SECRET-OUTSIDE"));
      if (row.getKey() == FaultRow.TEMPLATE_SYNTAX) {
        assertEquals(0, made, "a template that does not parse costs no API call");
      } else {
        assertEquals(discovery, made, row.getKey().id + " fails in the render: one discovery, no call after it");
      }
    }
    Files.writeString(template, good);
    converge();
  }

  @Test
  void row13a_configRejectedByHaproxyCheck_isNeverInstalled() throws Exception {
    addInstanceOnC();
    ProcStatus before = haproxy.showProc();
    Cli.Result run = apply("--var", "broken=yes");
    outcome(FaultRow.REJECTED_BY_CHECK, run, "no-such-directive", "nothing was installed");
    assertTrue(run.err().contains("haproxy-sd: haproxy: [ALERT]"), run.err());
    haproxy.assertNoReloadSince(before, "no reload");
    assertEquals(List.of(), leftovers());
    converge();
  }

  @Test
  void row13b_rejectedLineThatExpandsASecret_isShownWithTheSecretMasked() throws Exception {
    addInstanceOnC();
    Process run = jvm(Main.class.getName(), concat(applyArgs(), List.of("--var", "echo_secret=yes")));
    String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(run.waitFor(2, TimeUnit.MINUTES));
    outcome(FaultRow.REJECTED_ECHOING_SECRET, new Cli.Result(run.exitValue(), "", err),
        "${HAPROXY_STATS_PASSWORD}");
    converge();
  }

  @Test
  void row14_reloadThatCannotBind_isRolledBack() throws Exception {
    addInstanceOnC();
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ProcStatus before = haproxy.showProc();
      Cli.Result run = apply("--var", "extra_bind=127.0.0.1:" + busy.getLocalPort());
      outcome(FaultRow.RELOAD_FAILS, run, "[failed: 1]", "restored the previous config");
      assertTrue(Arrays.equals(baseline, Files.readAllBytes(layout.configFile())));
      assertEquals(before.reloads() + 2, haproxy.showProc().reloads());
    }
    converge();
  }

  @Test
  void row14b_aConfigWhoseReloadFailed_isNotRetried_twoReloadsInTenRuns() throws Exception {
    addInstanceOnC();
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ProcStatus before = haproxy.showProc();
      String[] conflict = {"--var", "extra_bind=127.0.0.1:" + busy.getLocalPort()};
      assertEquals(ExitCode.RELOAD_FAILED.code, apply(conflict).code());
      for (int run = 2; run <= 10; run++) {
        Cli.Result again = apply(conflict);
        outcome(FaultRow.QUARANTINED, again, "still the config that failed at ", "[failed: 1]",
            "change the inputs or use --force");
        assertTrue(Files.readString(metrics).contains("\nhaproxy_sd_quarantined 1\n"));
      }
      assertEquals(before.reloads() + 2, haproxy.showProc().reloads(), "one failed reload and its rollback");
      assertTrue(Arrays.equals(baseline, Files.readAllBytes(layout.configFile())));
    }
    converge();
    assertTrue(Files.readString(metrics).contains("\nhaproxy_sd_quarantined 0\n"), "new inputs, a new candidate");
  }

  @Test
  void row15a_haproxyNotRunning_installsNothing_andTheNextRunAppliesOnceItRuns() throws Exception {
    addInstanceOnC();
    haproxy.close();
    Cli.Result run = apply();
    assertEquals(FaultRow.HAPROXY_STOPPED.exitCode.code, run.code(), run.err());
    assertOneLine(run);
    assertTrue(run.err().contains("nothing was installed"), run.err());
    assertTrue(Arrays.equals(baseline, Files.readAllBytes(layout.configFile())));
    assertNoSecrets(run);
    record(FaultRow.HAPROXY_STOPPED, run);
    haproxy = HaproxyInstance.start(layout, Map.of("HAPROXY_STATS_PASSWORD", STATS_PASSWORD));
    converge();
  }

  @Test
  void row15b_masterSocketMissing() throws Exception {
    addInstanceOnC();
    Path wrong = dir.resolve("no-such-master.sock");
    Cli.Result run = Cli.run(concat(applyArgs("master-socket:" + wrong), List.of()));
    outcome(FaultRow.MASTER_SOCKET_MISSING, run, wrong.toString(), "show proc");
    converge();
  }

  @Test
  void row16_haproxyBinaryMissing() throws Exception {
    addInstanceOnC();
    Cli.Result run = apply("--haproxy-bin", dir.resolve("no-such-haproxy").toString());
    outcome(FaultRow.HAPROXY_BINARY_MISSING, run, "no-such-haproxy");
    assertEquals(List.of(), leftovers());
    converge();
  }

  // ---- row 17: kill -9 at each step ------------------------------------------------------------------------------

  @Test
  void row17a_killedBeforeWrite() throws Exception {
    killAt("before-write", FaultRow.KILLED_BEFORE_WRITE);
    assertTrue(Arrays.equals(baseline, Files.readAllBytes(layout.configFile())));
    converge();
  }

  @Test
  void row17b_killedAfterTheCandidateWasWritten() throws Exception {
    killAt("after-temp-write", FaultRow.KILLED_AFTER_TEMP_WRITE);
    assertTrue(Arrays.equals(baseline, Files.readAllBytes(layout.configFile())));
    assertEquals(1, leftovers().size(), "the complete candidate is left next to the config");
    Cli.Result next = apply();
    assertEquals(0, next.code(), next.err());
    assertTrue(next.err().contains("removed "), next.err());
    assertEquals(List.of(), leftovers());
    converge();
  }

  @Test
  void row17c_killedAfterTheRename() throws Exception {
    killAt("after-rename", FaultRow.KILLED_AFTER_RENAME);
    assertTrue(Files.readString(layout.configFile()).contains("127.0.0.1:" + c.port()), "the new file is in place");
    ProcStatus before = haproxy.showProc();
    Cli.Result next = apply();
    assertEquals(0, next.code(), next.err());
    assertEquals(before.reloads() + 1, haproxy.showProc().reloads(), "the next run reloads what it installed");
    converge();
  }

  @Test
  void row17d_killedDuringTheReload() throws Exception {
    int reloads = haproxy.showProc().reloads();
    killAt("during-reload", FaultRow.KILLED_DURING_RELOAD);
    int finished = haproxy.awaitReloadsAbove(reloads).reloads();
    Cli.Result next = apply();
    assertEquals(0, next.code(), next.err());
    assertEquals(finished + 1, haproxy.showProc().reloads(), "the next run reloads once more and records it");
    converge();
  }

  private void killAt(String step, FaultRow row) throws Exception {
    addInstanceOnC();
    Process run = pausedAt(step);
    BufferedReader err = new BufferedReader(new InputStreamReader(run.getErrorStream(), StandardCharsets.UTF_8));
    String line = err.readLine();
    assertEquals("haproxy-sd: test: paused at " + step, line);
    run.destroyForcibly(); // SIGKILL
    assertTrue(run.waitFor(1, TimeUnit.MINUTES));
    assertServes();
    assertValidAndComplete();
    assertNoSecrets(new Cli.Result(run.exitValue(), "", line));
    OBSERVED.put(row, "killed (" + run.exitValue() + ") | " + line);
  }

  // ---- rows 18-22: disk, state, lock, hand edits, time --------------------------------------------------------

  @Test
  void row18a_readOnlyTargetDirectory() throws Exception {
    Path etc = layout.configFile().getParent();
    makeReadOnly(etc);
    addInstanceOnC();
    Cli.Result run = apply();
    outcome(FaultRow.TARGET_READ_ONLY, run, etc.toString());
    undoReadOnly(etc);
    converge();
  }

  @Test
  void row18b_diskFullWhileWritingTheCandidate() throws Exception {
    Path etc = layout.configFile().getParent();
    if (!"root".equals(System.getProperty("user.name"))) {
      addInstanceOnC();
      outcome(FaultRow.DISK_FULL, applyOnAFullTmpfsWithoutRoot(etc), "No space left on device", etc.toString());
      converge();
      return;
    }
    Path filler = mountFullTmpfs(etc);
    addInstanceOnC();
    Cli.Result run = apply();
    outcome(FaultRow.DISK_FULL, run, "No space left on device", etc.toString());
    Files.delete(filler);
    converge();
  }

  @Test
  void row19_truncatedCorruptOrNewerState_isAWarning() throws Exception {
    Path state = stateDir.resolve("state.json");
    String good = Files.readString(state);
    Map<FaultRow, String> damaged = new TreeMap<>(Map.of(
        FaultRow.STATE_TRUNCATED, good.substring(0, good.length() / 2),
        FaultRow.STATE_CORRUPT, "\u0000\u0001garbage",
        FaultRow.STATE_NEWER, good.replace("\"version\": 1", "\"version\": 2")));
    for (Map.Entry<FaultRow, String> row : damaged.entrySet()) {
      Files.writeString(state, row.getValue());
      ProcStatus before = haproxy.showProc();
      Cli.Result run = apply();
      outcome(row.getKey(), run, "state");
      assertEquals(1, run.errLines().size(), run.err());
      haproxy.assertNoReloadSince(before, "the installed file matches: no reload");
      assertTrue(Files.readString(state).contains("\"version\": 1"), "rewritten");
    }
    converge();
  }

  @Test
  void row20_twoAppliesAtTheSameMoment() throws Exception {
    addInstanceOnC();
    Process first = pausedAt("before-write");
    BufferedReader err = new BufferedReader(new InputStreamReader(first.getErrorStream(), StandardCharsets.UTF_8));
    assertEquals("haproxy-sd: test: paused at before-write", err.readLine());
    Cli.Result second = apply();
    outcome(FaultRow.CONCURRENT, second, stateDir.resolve("lock").toString());
    first.destroyForcibly();
    assertTrue(first.waitFor(1, TimeUnit.MINUTES));
    converge();
  }

  @Test
  void row21_handEditedConfig_isOverwrittenWithTheEditsShownInTheLog() throws Exception {
    String edited = new String(baseline, StandardCharsets.UTF_8).replace("frontend http\n",
        "frontend http\n    # edited by hand\n    stats auth admin:" + STATS_PASSWORD + "\n");
    Files.writeString(layout.configFile(), edited);
    ProcStatus before = haproxy.showProc();
    Cli.Result run = apply();
    outcome(FaultRow.HAND_EDITED, run, "edited by hand since the last apply", "| -    # edited by hand");
    assertEquals(before.reloads() + 1, haproxy.showProc().reloads());
    assertTrue(Arrays.equals(baseline, Files.readAllBytes(layout.configFile())), "the rendered config is back");
    assertEquals(edited, Files.readString(stateDir.resolve("last-known-good.cfg")), "the hand edits are kept");
    converge();
  }

  @Test
  void row22_verySlowAws_theRunIsBoundedByItsTimeouts() throws Exception {
    awsFaultThenRecovery(FaultRow.SLOW_AWS, Fault.on("DescribeAutoScalingGroups").slow(Duration.ofSeconds(5)),
        List.of("timed out"), "--aws-timeout", "2s", "--aws-attempt-timeout", "1s", "--jitter", "1s");
  }

  // ---- the checks every row makes -----------------------------------------------------------------------------

  /** The common checks for the faulty run; {@code expected} are substrings stderr must contain. */
  private void outcome(FaultRow row, Cli.Result run, String... expected) throws IOException {
    assertEquals(row.exitCode.code, run.code(), row.id + ": " + run.err());
    assertEquals("", run.out(), "stdout carries only the product, and apply has none");
    for (String text : expected) {
      assertTrue(run.err().contains(text), row.id + ": expected '" + text + "' in: " + run.err());
    }
    if (run.code() != 0) {
      assertOneLine(run);
    }
    assertServes();
    assertValidAndComplete();
    assertRecoverable();
    assertNoSecrets(run);
    record(row, run);
  }

  private static void record(FaultRow row, Cli.Result run) {
    String first = run.errLines().isEmpty() ? "" : run.errLines().get(0);
    OBSERVED.put(row, run.code() + " | " + first.replace("|", "\\|"));
  }

  private static void assertOneLine(Cli.Result run) {
    List<String> lines = run.errLines().stream().filter(l -> !l.startsWith("haproxy-sd: haproxy: [ALERT]"))
        .toList();
    assertEquals(1, lines.size(), "one line on stderr (plus haproxy's [ALERT] lines): " + run.err());
    assertTrue(lines.get(0).startsWith("haproxy-sd: "), run.err());
  }

  private void assertServes() {
    assertTrue(haproxy.isAlive(), "haproxy runs");
    String answer = HttpBackend.get(layout.port());
    assertTrue(SERVED.matcher(answer).matches(), "a request through haproxy reaches a backend: " + answer);
  }

  /**
   * haproxy -c accepts the installed file, and it is the old config byte for byte, or the new one: exactly what
   * {@code render} gives for the same inventory now; never a mix.
   */
  private void assertValidAndComplete() throws IOException {
    try {
      Process check = new ProcessBuilder(HaproxyInstance.BINARY, "-c", "-q", "-f", layout.configFile().toString())
          .redirectErrorStream(true).start();
      String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(check.waitFor(1, TimeUnit.MINUTES));
      assertEquals(0, check.exitValue(), "haproxy -c on the installed file: " + output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    byte[] installed = Files.readAllBytes(layout.configFile());
    if (Arrays.equals(baseline, installed)) {
      return;
    }
    List<String> render = new ArrayList<>(List.of("render", "--region", "us-east-1", "--endpoint-url",
        aws.endpoint().toString(), "-t", template.toString()));
    render.addAll(source);
    render.addAll(layout.templateVars());
    Cli.Result rendered = Cli.run(render);
    assertEquals(0, rendered.code(), "render: " + rendered.err());
    assertEquals(rendered.out(), new String(installed, StandardCharsets.UTF_8),
        "the installed file is neither the old config nor the new one");
  }

  /** The file in place is the baseline, or the baseline is kept as last-known-good and the newest backup. */
  private void assertRecoverable() throws IOException {
    if (Arrays.equals(baseline, Files.readAllBytes(layout.configFile()))) {
      return;
    }
    Path lastKnownGood = stateDir.resolve("last-known-good.cfg");
    Path backup = stateDir.resolve("backups").resolve("haproxy.cfg.1");
    assertTrue(Files.exists(lastKnownGood) && Files.exists(backup), "the previous config is kept");
    assertArrayEquals(baseline, Files.readAllBytes(lastKnownGood), "last-known-good.cfg is the replaced config");
    assertArrayEquals(baseline, Files.readAllBytes(backup), "the newest backup is the replaced config");
  }

  private void assertNoSecrets(Cli.Result run) throws IOException {
    List<String> texts = new ArrayList<>(List.of(run.out(), run.err()));
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        String name = file.getFileName().toString();
        if (!name.endsWith(".ftl") && !name.equals("haproxy.log")) {
          texts.add(file + ": " + new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1));
        }
      }
    }
    for (String text : texts) {
      assertFalse(text.contains(AWS_SECRET), "the AWS secret key leaked: " + text);
      if (!text.contains("last-known-good.cfg: ") && !text.contains("backups/haproxy.cfg.")) {
        assertFalse(text.contains(STATS_PASSWORD), "the stats password leaked: " + text);
      }
    }
  }

  /** The fault is gone: the next run succeeds, and the one after it is silent and reloads nothing. */
  /** One AWS fault: the run fails as the row says, and once the fault is gone the next run converges. */
  private void awsFaultThenRecovery(FaultRow row, Fault fault, List<String> named, String... applyArgs)
      throws IOException {
    aws.inject(fault);
    Cli.Result run = apply(applyArgs);
    outcome(row, run, named.toArray(String[]::new));
    aws.clearFaults();
    converge();
  }

  private void converge() throws IOException {
    Cli.Result next = apply();
    assertEquals(0, next.code(), "the next run succeeds: " + next.err());
    assertServes();
    ProcStatus before = haproxy.showProc();
    Cli.Result again = apply();
    assertEquals(0, again.code(), again.err());
    assertEquals("", again.err(), "converged: a silent run");
    haproxy.assertNoReloadSince(before, "converged: no reload");
    assertValidAndComplete();
    assertNoSecrets(again);
  }

  // ---- helpers --------------------------------------------------------------------------------------------------

  private void group(String name, HttpBackend... members) {
    aws.group(name).tag("haproxy-sd", "on").tag("owner", "team-" + name);
    for (int i = 0; i < members.length; i++) {
      String id = Map.of("web", "i-0eb", "api", "i-0a9", "admin", "i-0ad").get(name) + (i + 1); // EC2-shaped
      aws.asgInstance(name, id, "InService", "127.0.0.1").tag("HAProxy:Instance:Port",
          Integer.toString(members[i].port()));
    }
  }

  private void addInstanceOnC() {
    aws.asgInstance("web", "i-0ebc", "InService", "127.0.0.1").tag("HAProxy:Instance:Port",
        Integer.toString(c.port()));
  }

  /** Switches the source to Cloud Map (service web on A and B), applied and healthy. */
  private FakeAws.Namespace useCloudMap() {
    FakeAws.Namespace internal = aws.namespace("internal");
    internal.service("web").instance("web-a", "127.0.0.1", a.port());
    internal.service("web").instance("web-b", "127.0.0.1", b.port());
    source = List.of("--cloudmap-namespace", "internal");
    Cli.Result switched = apply("--force");
    assertEquals(0, switched.code(), switched.err());
    try {
      baseline = Files.readAllBytes(layout.configFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return internal;
  }

  private List<String> applyArgs(String reload) {
    List<String> args = new ArrayList<>(List.of("apply", "-q", "--region", "us-east-1", "--endpoint-url",
        aws.endpoint().toString(), "--aws-timeout", "5s", "--aws-attempt-timeout", "2s", "-t", template.toString(),
        "-c", layout.configFile().toString(), "--state-dir", stateDir.toString(), "--reload", reload,
        "--metrics-file", metrics.toString()));
    args.addAll(source);
    args.addAll(layout.templateVars());
    return args;
  }

  private List<String> applyArgs() {
    return applyArgs("master-socket:" + layout.masterSocket());
  }

  /** apply with the matrix's options; an option in {@code extra} replaces the default timeout of that name. */
  private Cli.Result apply(String... extra) {
    List<String> args = new ArrayList<>(applyArgs());
    for (String option : List.of("--aws-timeout", "--aws-attempt-timeout")) {
      if (List.of(extra).contains(option)) {
        int at = args.indexOf(option);
        args.remove(at + 1);
        args.remove(at);
      }
    }
    return Cli.run(concat(args, List.of(extra)));
  }

  /** apply as its own JVM that stops at {@code phase} (see {@link PausingMain}) until it is killed. */
  private Process pausedAt(String phase) throws IOException {
    return jvm(PausingMain.class.getName(), concat(List.of(phase), applyArgs()));
  }

  /**
   * Without root, a full disk for apply alone: its own JVM in a user and mount namespace of its own ({@code unshare
   * -Urm}, no privilege needed where the kernel allows unprivileged user namespaces), where a full 256 KiB tmpfs
   * holding a copy of the config covers {@code directory}. The namespace goes with the process; haproxy and this
   * test keep seeing the real directory, where nothing may have changed. Skipped, saying why, where no namespace can
   * be made.
   */
  private Cli.Result applyOnAFullTmpfsWithoutRoot(Path directory) throws IOException, InterruptedException {
    Path copy = dir.resolve("config-for-the-tmpfs");
    Files.copy(layout.configFile(), copy);
    String script = "mount -t tmpfs -o size=256k,mode=755 tmpfs \"$1\" || exit 97; cp \"$2\" \"$1/$3\" || exit 97; "
        + "cat /dev/zero > \"$1/filler\" 2>/dev/null; shift 3; exec \"$@\"";
    Process run = jvm(Main.class.getName(), applyArgs(), List.of("unshare", "--user", "--map-root-user", "--mount",
        "sh", "-c", script, "sh", directory.toString(), copy.toString(), layout.configFile().getFileName().toString()));
    String err = new String(run.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(run.waitFor(2, TimeUnit.MINUTES));
    skipUnless(run.exitValue() != 97 && !err.startsWith("unshare: "), FaultRow.DISK_FULL, "filling a disk without "
        + "root needs a tmpfs in an unprivileged user namespace (unshare -Urm), which this machine refuses: "
        + err.strip());
    return new Cli.Result(run.exitValue(), Files.readString(dir.resolve("jvm.out")), err);
  }

  /** apply as its own JVM, credentials and the stats password in its environment (never on its command line). */
  private Process jvm(String mainClass, List<String> args) throws IOException {
    return jvm(mainClass, args, List.of());
  }

  /** {@link #jvm(String, List)} started by {@code wrapper} (a command that ends by running its arguments). */
  private Process jvm(String mainClass, List<String> args, List<String> wrapper) throws IOException {
    ProcessBuilder builder = Cli.javaProcess(mainClass, args)
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
        .redirectOutput(dir.resolve("jvm.out").toFile());
    builder.command().addAll(0, wrapper);
    Map<String, String> environment = builder.environment();
    environment.put("AWS_ACCESS_KEY_ID", FakeAws.ACCESS_KEY);
    environment.put("AWS_SECRET_ACCESS_KEY", AWS_SECRET);
    environment.put("AWS_CONFIG_FILE", dir.resolve("no-aws-config").toString());
    environment.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-aws-credentials").toString());
    environment.put("AWS_EC2_METADATA_DISABLED", "true");
    environment.put("HAPROXY_STATS_PASSWORD", STATS_PASSWORD);
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(layout.configFile().getParent())) {
      return files.filter(p -> p.getFileName().toString().startsWith(".haproxy.cfg.")).toList();
    }
  }

  /**
   * chattr +i as root (root ignores modes), chmod 555 otherwise; skipped, saying why, where neither stops a write.
   */
  private void makeReadOnly(Path directory) throws IOException, InterruptedException {
    boolean root = "root".equals(System.getProperty("user.name"));
    if (root) {
      Command chattr = run("chattr", "+i", directory.toString());
      skipUnless(chattr.exitCode() == 0, FaultRow.TARGET_READ_ONLY,
          "running as root, which ignores modes, and chattr +i failed: " + chattr.output());
    } else {
      run("chmod", "555", directory.toString());
    }
    cleanups.add(() -> undoReadOnly(directory));
    Path probe = directory.resolve("probe");
    boolean writable;
    try {
      Files.createFile(probe);
      Files.delete(probe);
      writable = true;
    } catch (IOException e) {
      writable = false;
    }
    skipUnless(!writable, FaultRow.TARGET_READ_ONLY, "neither chattr +i nor chmod 555 stops "
        + System.getProperty("user.name") + " from writing in " + directory + " on this file system");
  }

  private void undoReadOnly(Path directory) {
    try {
      run("chattr", "-i", directory.toString());
      run("chmod", "755", directory.toString());
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A small tmpfs over {@code directory} holding the current config and a filler that takes all the rest. */
  private Path mountFullTmpfs(Path directory) throws IOException, InterruptedException {
    byte[] config = Files.readAllBytes(layout.configFile());
    Command mount = run("mount", "-t", "tmpfs", "-o", "size=256k,mode=755", "tmpfs", directory.toString());
    skipUnless(mount.exitCode() == 0, FaultRow.DISK_FULL, "filling a disk needs a small tmpfs, and mounting one "
        + "needs root (or CAP_SYS_ADMIN) as user " + System.getProperty("user.name") + ": " + mount.output());
    cleanups.add(() -> {
      try {
        run("umount", "-l", directory.toString());
      } catch (IOException | InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    Files.write(layout.configFile(), config);
    Path filler = directory.resolve("filler");
    try (var out = Files.newOutputStream(filler)) {
      byte[] block = new byte[512];
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException full) {
      // the file system is full now
    }
    return filler;
  }

  private record Command(int exitCode, String output) {}

  private static Command run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    assertTrue(process.waitFor(1, TimeUnit.MINUTES));
    return new Command(process.exitValue(), output);
  }

  /**
   * A row this machine cannot stage is skipped, never failed nor passed: the reason goes into the skip (surefire's
   * report) and into target/fault-matrix-observed.md beside the rows that ran.
   */
  private static void skipUnless(boolean possible, FaultRow row, String why) {
    if (!possible) {
      OBSERVED.put(row, "not run | " + why.replace("|", "\\|").replace("\n", " "));
    }
    assumeTrue(possible, () -> "fault-matrix row " + row.id + " not run: " + why);
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
