package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.FakeClock;
import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.HoldingBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

/**
 * Drain before terminate with two real master-worker haproxy balancers on 127.0.0.1, the fake Auto Scaling
 * endpoint and a real backend that holds a request open: an instance in Terminating:Wait is drained through the
 * runtime API, its lifecycle action waits while haproxy holds a session on it and is completed exactly once after
 * the session ended and --drain-min passed (on a fake clock); the second balancer's late completion is fine;
 * {@code --dry-run} calls nothing; neither haproxy reloads anywhere in the sequence.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class LifecycleWithHaproxyTest {
  private static final String ZONE = "us-east-1a";
  /** Long enough that an old worker outlives the test's runs; the test with no master socket waits it out. */
  private static final String HARD_STOP_AFTER = "60s";
  @TempDir Path dir;
  @AutoClose FakeAws aws = FakeAws.start();
  @AutoClose HoldingBackend a = HoldingBackend.start("A");
  @AutoClose HoldingBackend b = HoldingBackend.start("B");
  private final FakeClock clock = new FakeClock();
  private final List<Balancer> balancers = new ArrayList<>();

  /** One balancer: its haproxy, its state dir, its server-state-file. */
  private record Balancer(HaproxyInstance haproxy, Path stateDir, Path serverStateFile) {}

  @BeforeEach
  void fleetOfTwo() throws IOException {
    aws.group("web").tag("HAProxy:Service:Port", "80");
    aws.asgInstance("web", "i-a", "InService", "127.0.0.1").tag("HAProxy:Instance:Port", "" + a.port());
    try (AutoScalingClient client = AutoScalingClient.builder().endpointOverride(aws.endpoint())
        .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeAws.ACCESS_KEY,
            System.getProperty("aws.secretAccessKey"))))
        .build()) {
      // aws autoscaling put-lifecycle-hook --auto-scaling-group-name web --lifecycle-hook-name drain
      //   --lifecycle-transition autoscaling:EC2_INSTANCE_TERMINATING --heartbeat-timeout 900
      client.putLifecycleHook(r -> r.autoScalingGroupName("web").lifecycleHookName("drain")
          .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(900));
    }
    for (String name : List.of("b1", "b2")) {
      Path home = Files.createDirectories(dir.resolve(name));
      Path stateDir = home.resolve("state");
      Path serverState = home.resolve("server-state");
      Files.writeString(serverState, "1\n");
      HaproxyInstance haproxy = HaproxyInstance.start(HaproxyInstance.layout(home), Map.of(), layout -> {
        List<String> render = new ArrayList<>(List.of("render", "--output", layout.configFile().toString()));
        render.addAll(sourceAndTemplate(layout, serverState));
        Cli.Result bootstrap = Cli.run(render);
        assertEquals(0, bootstrap.code(), bootstrap.err());
      });
      balancers.add(new Balancer(haproxy, stateDir, serverState));
    }
    // i-b joins; each balancer's first apply installs and reloads (verified) on the system clock, and records it.
    aws.asgInstance("web", "i-b", "InService", "127.0.0.1").tag("HAProxy:Instance:Port", "" + b.port());
    for (Balancer balancer : balancers) {
      Cli.Result recorded = Cli.run(applyArgs(balancer));
      assertEquals(0, recorded.code(), recorded.err());
      assertTrue(recorded.err().contains("reload: yes"), recorded.err());
    }
  }

  @AfterEach
  void stop() {
    balancers.forEach(x -> x.haproxy().close());
  }

  @Test
  void aHeldSessionKeepsTheActionWaiting_theDrainedInstanceIsCompletedOnce_andTheFleetNeverReloads() throws Exception {
    Balancer b1 = balancers.get(0);
    Balancer b2 = balancers.get(1);
    ProcStatus b1Start = b1.haproxy().showProc();
    ProcStatus b2Start = b2.haproxy().showProc();
    CompletableFuture<String> held = holdASessionOnB(b1);
    aws.group("web").member("i-b", "Terminating:Wait", ZONE);

    Cli.Result dryRun = apply(b1, "--dry-run");
    assertEquals(0, dryRun.code(), dryRun.err());
    assertEquals(List.of(), lifecycleRequests(), "--dry-run calls nothing");

    Cli.Result seen = apply(b1);
    assertEquals(0, seen.code(), seen.err());
    assertTrue(seen.err().contains("runtime changes: 1, reload: no"), seen.err());
    assertTrue(Files.readString(b1.stateDir().resolve("lifecycle.json")).contains("\"instance\":\"i-b\""));
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "first seen now: --drain-min has not passed");
    assertEquals(0, apply(b2).code());

    clock.advance(Duration.ofMinutes(3));
    Cli.Result busy = apply(b1);
    assertEquals(0, busy.code(), busy.err());
    assertEquals(1, sessionsOnB(b1), "the held request is still open");
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "a live session keeps the action waiting");
    assertTrue(aws.actionActive("web", "drain", "i-b"));

    b.release();
    assertEquals("200 B", held.get(30, TimeUnit.SECONDS));
    awaitNoSessionOnB(b1);
    Cli.Result drained = apply(b1);
    assertEquals(0, drained.code(), drained.err());
    assertTrue(drained.err().contains("lifecycle: completed hook drain of i-b (group web) with CONTINUE after 3m: no "
        + "session left"), drained.err());
    assertEquals(List.of(new FakeAws.LifecycleCall("CompleteLifecycleAction", "web", "drain", "i-b", "CONTINUE")),
        aws.lifecycleCalls());

    Cli.Result again = apply(b1);
    assertEquals(0, again.code(), again.err());
    assertEquals(1, aws.requests("CompleteLifecycleAction"), "at most one completion by a balancer");

    Cli.Result late = apply(b2);
    assertEquals(0, late.code(), late.err());
    assertTrue(late.err().contains("hook drain of i-b (group web) was already completed (by another balancer"),
        late.err());
    assertEquals(2, aws.requests("CompleteLifecycleAction"), "b2 tried once and lost the race");
    assertEquals(1, aws.lifecycleCalls().size());

    aws.group("web").removeMember("i-b");
    assertEquals(0, apply(b1).code());
    assertFalse(Files.exists(b1.stateDir().resolve("lifecycle.json")), "a terminated instance is forgotten");
    b1.haproxy().assertNoReloadSince(b1Start, "b1 drained and completed without a reload");
    b2.haproxy().assertNoReloadSince(b2Start, "b2 drained and completed without a reload");
  }

  @Test
  void atTheHooksHeartbeatTimeout_theActionIsCompletedWithTheSessionsLeft_sayingHowManyWereCut() throws Exception {
    Balancer b1 = balancers.get(0);
    ProcStatus start = b1.haproxy().showProc();
    CompletableFuture<String> held = holdASessionOnB(b1);
    aws.group("web").member("i-b", "Terminating:Wait", ZONE);
    assertEquals(0, apply(b1).code());

    clock.advance(Duration.ofMinutes(14));
    Cli.Result waiting = apply(b1);
    assertEquals(0, waiting.code(), waiting.err());
    assertEquals(List.of(new FakeAws.LifecycleCall("RecordLifecycleActionHeartbeat", "web", "drain", "i-b", null)),
        aws.lifecycleCalls(), "the hook (15m) would time out no later than --drain-max: extended at half of it");

    clock.advance(Duration.ofMinutes(1));
    Cli.Result cut = apply(b1, "-q");
    assertEquals(0, cut.code(), cut.err());
    assertEquals("haproxy-sd: warning: lifecycle: completed hook drain of i-b (group web) with CONTINUE at "
        + "--drain-max after 15m, cutting 1 session still open\n", cut.err());
    assertEquals(new FakeAws.LifecycleCall("CompleteLifecycleAction", "web", "drain", "i-b", "CONTINUE"),
        aws.lifecycleCalls().get(1));
    b.release();
    assertEquals("200 B", held.get(30, TimeUnit.SECONDS), "completing the action cuts nothing in haproxy itself");
    b1.haproxy().assertNoReloadSince(start, "no reload");
  }

  @Test
  void aSessionHeldOnAnOldWorker_afterSomeoneElsesReload_keepsTheActionWaiting_untilItEnds() throws Exception {
    Balancer b1 = balancers.get(0);
    CompletableFuture<String> held = holdASessionOnB(b1);
    ProcStatus before = b1.haproxy().showProc();
    b1.haproxy().master("reload"); // an operator's or systemd's reload: the old worker keeps the request
    ProcStatus reloaded = b1.haproxy().awaitReloadsAbove(before.reloads());
    assertEquals(before.workerPids(), reloaded.oldWorkerPids());
    aws.group("web").member("i-b", "Terminating:Wait", ZONE);
    assertEquals(0, apply(b1).code());

    clock.advance(Duration.ofMinutes(3));
    Cli.Result busy = apply(b1);
    assertEquals(0, busy.code(), busy.err());
    assertEquals(0, sessionsOnB(b1), "the current worker has none: only the old one holds the request");
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "a session on an old worker keeps the action waiting");

    b.release();
    assertEquals("200 B", held.get(30, TimeUnit.SECONDS));
    awaitNoSessionOnOldWorkers(b1, reloaded);
    Cli.Result drained = apply(b1);
    assertEquals(0, drained.code(), drained.err());
    assertTrue(drained.err().contains("lifecycle: completed hook drain of i-b (group web) with CONTINUE after 3m: no "
        + "session left"), drained.err());
    assertEquals(0, apply(b1).code());
    assertEquals(1, aws.requests("CompleteLifecycleAction"), "exactly one completion");
  }

  @Test
  void withoutAMasterSocket_theActionWaitsUntilHardStopAfterHasPassedSinceTheLastReload() throws Exception {
    Balancer b1 = balancers.get(0);
    clock.jumpWall(Duration.between(clock.now(), java.time.Instant.now())); // haproxy's start times are real
    CompletableFuture<String> held = holdASessionOnB(b1);
    ProcStatus before = b1.haproxy().showProc();
    b1.haproxy().master("reload");
    b1.haproxy().awaitReloadsAbove(before.reloads());
    aws.group("web").member("i-b", "Terminating:Wait", ZONE);
    List<String> noMasterSocket = new ArrayList<>(applyArgs(b1));
    int reload = noMasterSocket.indexOf("--reload");
    noMasterSocket.subList(reload, reload + 2).clear();
    noMasterSocket.addAll(List.of("--drain-min", "0s"));

    Cli.Result first = run(b1, noMasterSocket);
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("warning: lifecycle: no master socket to count the sessions old haproxy workers "
        + "may hold on i-b after a reload: its action completes no sooner than hard-stop-after (1m) after the last "
        + "reload, at "), first.err());
    assertEquals(0, sessionsOnB(b1), "the current worker has none");
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "the old worker may still hold a session");
    assertEquals(1, first.err().split("no master socket", -1).length - 1, "one warning");

    clock.advance(Duration.ofSeconds(30));
    Cli.Result again = run(b1, noMasterSocket);
    assertEquals(0, again.code(), again.err());
    assertFalse(again.err().contains("no master socket"), "warned once per instance: " + again.err());
    assertEquals(0, aws.requests("CompleteLifecycleAction"));

    clock.advance(Duration.ofSeconds(60));
    Cli.Result gone = run(b1, noMasterSocket);
    assertEquals(0, gone.code(), gone.err());
    assertEquals(1, aws.requests("CompleteLifecycleAction"), "hard-stop-after has passed since the reload");
    b.release();
    held.get(30, TimeUnit.SECONDS);
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  /** The lifecycle requests haproxy-sd made (the test's PutLifecycleHook left out). */
  private List<FakeAws.Request> lifecycleRequests() {
    return aws.requests().stream().filter(r -> r.api().contains("Lifecycle") && !r.api().startsWith("Put")).toList();
  }

  private List<String> sourceAndTemplate(HaproxyInstance.Layout layout, Path serverState) {
    List<String> args = new ArrayList<>(List.of("--asg", "web", "--region", "us-east-1", "--endpoint-url",
        aws.endpoint().toString(), "--template", HaproxyInstance.slotsTemplate().toString(), "--slots", "4", "--var",
        "server_state_file=" + serverState, "--var", "hard_stop_after=" + HARD_STOP_AFTER));
    args.addAll(layout.templateVars());
    return args;
  }

  private List<String> applyArgs(Balancer balancer) {
    HaproxyInstance.Layout layout = balancer.haproxy().layout();
    List<String> args = new ArrayList<>(List.of("apply", "--config-file", layout.configFile().toString(),
        "--state-dir", balancer.stateDir().toString(), "--reload", "master-socket:" + layout.masterSocket(),
        "--runtime-api", layout.statsSocket().toString(), "--lifecycle-hook", "drain"));
    args.addAll(sourceAndTemplate(layout, balancer.serverStateFile()));
    return args;
  }

  /** One apply on the fake clock. */
  private Cli.Result apply(Balancer balancer, String... extra) throws IOException {
    List<String> args = new ArrayList<>(applyArgs(balancer));
    args.addAll(List.of(extra));
    return run(balancer, args);
  }

  /** {@code args} on the fake clock. */
  private Cli.Result run(Balancer balancer, List<String> args) throws IOException {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> env = new HashMap<>(Cli.hermetic(balancer.stateDir()));
    int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err), env,
        RunObserver.NONE, clock, args.toArray(String[]::new));
    return new Cli.Result(code, out.toString(), err.toString());
  }

  /** A GET /hold through the balancer that B holds open; A answers at once, so try until B has one. */
  private CompletableFuture<String> holdASessionOnB(Balancer balancer) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    for (int i = 0; i < 10; i++) {
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + balancer.haproxy().layout().port()
          + "/hold")).timeout(Duration.ofSeconds(60)).build();
      CompletableFuture<String> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
          .thenApply(r -> r.statusCode() + " " + r.body());
      if (b.awaitHeld(response)) {
        return response;
      }
    }
    throw new AssertionError("haproxy never sent a request to B");
  }

  /** {@code scur} of every server at B's port, read with the fixture's own socket client. */
  private int sessionsOnB(Balancer balancer) {
    String servers = balancer.haproxy().stats("show servers state web");
    List<String> lines = servers.lines().filter(l -> !l.isBlank()).toList();
    List<String> header = List.of(lines.get(1).substring(2).split(" "));
    List<String> slots = new ArrayList<>();
    for (String line : lines.subList(2, lines.size())) {
      String[] f = line.split(" ");
      if (f[header.indexOf("srv_addr")].equals("127.0.0.1")
          && f[header.indexOf("srv_port")].equals(Integer.toString(b.port()))) {
        slots.add(f[header.indexOf("srv_name")]);
      }
    }
    assertEquals(1, slots.size(), servers);
    int total = 0;
    for (String line : balancer.haproxy().stats("show stat").lines().toList()) {
      String[] f = line.split(",");
      if (f.length > 4 && f[0].equals("web") && slots.contains(f[1])) {
        total += Integer.parseInt(f[4]);
      }
    }
    return total;
  }

  /** Waits until the old workers of {@code status} hold no session (or have exited). */
  private void awaitNoSessionOnOldWorkers(Balancer balancer, ProcStatus status) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    for (int pid : status.oldWorkerPids()) {
      while (true) {
        String stat = balancer.haproxy().master("@!" + pid + " show stat");
        boolean busy = stat.lines().map(l -> l.split(",")).anyMatch(f -> f.length > 4 && f[0].equals("web")
            && !f[1].equals("BACKEND") && !f[4].equals("0"));
        if (!busy) {
          break;
        }
        assertTrue(System.nanoTime() < deadline, "old worker " + pid + " still counts a session");
        Thread.sleep(20);
      }
    }
  }

  /** haproxy drops the session a moment after the response: wait for that (a condition, not a time). */
  private void awaitNoSessionOnB(Balancer balancer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sessionsOnB(balancer) != 0) {
      assertTrue(System.nanoTime() < deadline, "haproxy still counts a session on B");
      Thread.sleep(20);
    }
  }
}
