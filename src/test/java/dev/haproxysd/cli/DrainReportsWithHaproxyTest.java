package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.FakeClock;
import dev.haproxysd.testing.FakeS3;
import dev.haproxysd.testing.Fault;
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
 * The fleet rule with drain reports: two real master-worker balancers share {@code s3://fleet/drain/} on a fake S3
 * (which passes the Auto Scaling calls on to a fake AWS), a fake clock for both and for S3's Last-Modified, and a
 * request held open through the second balancer. Every run's S3 requests are counted.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class DrainReportsWithHaproxyTest {
  private static final String ZONE = "us-east-1a";
  private static final String PREFIX = "drain/";
  @TempDir Path dir;
  @AutoClose FakeAws aws = FakeAws.start();
  @AutoClose FakeS3 s3 = FakeS3.start().forwardOthersTo(aws.endpoint());
  @AutoClose HoldingBackend a = HoldingBackend.start("A");
  @AutoClose HoldingBackend b = HoldingBackend.start("B");
  private final FakeClock clock = new FakeClock();
  private final List<Balancer> balancers = new ArrayList<>();

  private record Balancer(String name, HaproxyInstance haproxy, Path stateDir, Path serverStateFile, Path metrics) {}

  @BeforeEach
  void fleetOfTwo() throws IOException {
    s3.bucket("fleet").clock(clock::now);
    aws.group("web").tag("HAProxy:Service:Port", "80");
    aws.asgInstance("web", "i-a", "InService", "127.0.0.1").tag("HAProxy:Instance:Port", "" + a.port());
    try (AutoScalingClient client = AutoScalingClient.builder().endpointOverride(aws.endpoint())
        .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeAws.ACCESS_KEY,
            System.getProperty("aws.secretAccessKey"))))
        .build()) {
      client.putLifecycleHook(r -> r.autoScalingGroupName("web").lifecycleHookName("drain")
          .lifecycleTransition("autoscaling:EC2_INSTANCE_TERMINATING").heartbeatTimeout(3600));
    }
    for (String name : List.of("b1", "b2")) {
      Path home = Files.createDirectories(dir.resolve(name));
      Path serverState = home.resolve("server-state");
      Files.writeString(serverState, "1\n");
      HaproxyInstance haproxy = HaproxyInstance.start(HaproxyInstance.layout(home), Map.of(), layout -> {
        List<String> render = new ArrayList<>(List.of("render", "--output", layout.configFile().toString()));
        render.addAll(sourceAndTemplate(layout, serverState));
        Cli.Result bootstrap = Cli.run(render);
        assertEquals(0, bootstrap.code(), bootstrap.err());
      });
      balancers.add(new Balancer(name, haproxy, home.resolve("state"), serverState, home.resolve("metrics.prom")));
    }
    // i-b joins: each balancer's first apply reloads (verified, on the system clock: the reload takes real time)
    aws.asgInstance("web", "i-b", "InService", "127.0.0.1").tag("HAProxy:Instance:Port", "" + b.port());
    for (Balancer balancer : balancers) {
      List<String> args = new ArrayList<>(applyArgs(balancer));
      args.subList(args.indexOf("--drain-reports"), args.indexOf("--drain-reports") + 4).clear();
      Cli.Result recorded = Cli.run(args);
      assertEquals(0, recorded.code(), recorded.err());
      assertTrue(recorded.err().contains("reload: yes"), recorded.err());
    }
    // steady state: each balancer has run with drain reports and written its (empty) report
    for (Balancer balancer : balancers) {
      Cli.Result first = apply(balancer);
      assertEquals(0, first.code(), first.err());
    }
  }

  @AfterEach
  void stop() {
    balancers.forEach(x -> x.haproxy().close());
  }

  @Test
  void aSessionHeldOnTheSecondBalancer_keepsTheFirstFromCompleting_thenExactlyOneCompletionInTotal() throws Exception {
    Balancer b1 = balancers.get(0);
    Balancer b2 = balancers.get(1);
    assertEquals(List.of("drain/b1.json", "drain/b2.json"), reportKeys());
    assertEquals(0, s3Requests(() -> apply(b1)), "nothing waits and the report is fresh: no S3 request");
    clock.advance(Duration.ofMinutes(4));
    assertEquals(List.of("PutObject"), s3Apis(() -> apply(b1)), "older than a third of the window: written again");

    CompletableFuture<String> held = holdASessionOnB(b2);
    aws.group("web").member("i-b", "Terminating:Wait", ZONE);
    assertEquals(List.of("PutObject", "ListObjectsV2", "GetObject"), s3Apis(() -> apply(b1)),
        "an instance waits: 1 + 2 live balancers");
    assertEquals(List.of("PutObject", "ListObjectsV2", "GetObject"), s3Apis(() -> apply(b2)));

    clock.advance(Duration.ofMinutes(3));
    Cli.Result waiting = apply(b1);
    assertEquals(0, waiting.code(), waiting.err());
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "b2 still reports the held session");
    String prom = Files.readString(b1.metrics());
    assertTrue(prom.contains("\nhaproxy_sd_drain_live_balancers 2\n"), prom);
    assertTrue(prom.contains("\nhaproxy_sd_drain_waiting_on_others 1\n"), prom);
    Cli.Result busy = apply(b2);
    assertEquals(0, busy.code(), busy.err());
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "b2 holds the session itself");
    assertTrue(s3.object("fleet", "drain/b2.json").text().contains("\"sessions\":1,\"drained\":false"),
        s3.object("fleet", "drain/b2.json").text());
    assertEquals(0, apply(b1).code());
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "b1's second look: b2 still has it");
    prom = Files.readString(b1.metrics());
    assertTrue(prom.contains("\nhaproxy_sd_drain_sessions 1\n"), prom);

    b.release();
    assertEquals("200 B", held.get(30, TimeUnit.SECONDS));
    awaitNoSessionOnB(b2);
    assertEquals(0, apply(b1).code());
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "b2 has not reported it drained yet");
    Cli.Result drained = apply(b2);
    assertEquals(0, drained.code(), drained.err());
    assertTrue(drained.err().contains("lifecycle: completed hook drain of i-b (group web) with CONTINUE after 3m: no "
        + "session left"), drained.err());
    assertEquals(0, apply(b1).code());
    assertEquals(0, apply(b2).code());
    assertEquals(1, aws.lifecycleCalls().size(), "exactly one completion in total: " + aws.lifecycleCalls());
    assertEquals(List.of("drain/b1.json", "drain/b2.json"), reportKeys(), "one report object per balancer");
  }

  @Test
  void aBalancerThatDiedMidDrain_blocksUntilItsReportLeavesTheWindow_andAHostileObjectOnlyWhileLive() throws Exception {
    Balancer b1 = balancers.get(0);
    s3.pageSize(2);
    s3.put("fleet", "drain/b3.json", "{\"version\":1,\"balancer\":\"b3\",\"written\":\"" + clock.now() + "\","
        + "\"draining\":[{\"group\":\"web\",\"instance\":\"i-b\",\"since\":\"" + clock.now() + "\",\"sessions\":2,"
        + "\"drained\":false}]}", Map.of(), clock.now());
    s3.put("fleet", "drain/evil.json", "{\"version\":1,\"balancer\":\"b1\",\"written\":\"" + clock.now() + "\","
        + "\"draining\":[]}", Map.of(), clock.now()); // posing as b1
    s3.put("fleet", "drain/README", "not a report", Map.of(), clock.now());
    aws.group("web").member("i-b", "Terminating:Wait", ZONE);
    Cli.Result first = apply(b1, "--drain-min", "0s");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("warning: drain reports: skipping s3://fleet/drain/evil.json, not a drain report "
        + "(it says it is balancer 'b1', its key says 'evil'): balancer evil counts as not drained while it is "
        + "live"), first.err());
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "b2 has not listed it; b3 reports 2 sessions");

    clock.advance(Duration.ofMinutes(9));
    assertEquals(0, apply(balancers.get(1), "--drain-min", "0s").code());
    assertEquals(0, aws.requests("CompleteLifecycleAction"), "b3 and evil are still live");

    clock.advance(Duration.ofMinutes(2)); // b3's and evil's reports are now 11 minutes old: gone
    List<String> apis = s3Apis(() -> apply(b1, "--drain-min", "0s"));
    assertEquals(List.of("PutObject", "ListObjectsV2", "ListObjectsV2", "ListObjectsV2", "GetObject"), apis,
        "5 objects in pages of 2; only b2 is live");
    assertEquals(1, aws.lifecycleCalls().size(), "the dead balancer no longer holds it up");
  }

  @Test
  void atDrainMax_theActionIsCompleted_namingTheSessionsCutOnEachBalancer() throws Exception {
    Balancer b1 = balancers.get(0);
    Balancer b2 = balancers.get(1);
    CompletableFuture<String> held = holdASessionOnB(b2);
    aws.group("web").member("i-b", "Terminating:Wait", ZONE);
    assertEquals(0, apply(b2, "--drain-max", "5m").code());
    assertEquals(0, apply(b1, "--drain-max", "5m").code());
    clock.advance(Duration.ofMinutes(4));
    assertEquals(0, apply(b2, "--drain-max", "5m").code());
    clock.advance(Duration.ofMinutes(1));
    Cli.Result cut = apply(b1, "--drain-max", "5m", "-q");
    assertEquals(0, cut.code(), cut.err());
    assertEquals("haproxy-sd: warning: lifecycle: completed hook drain of i-b (group web) with CONTINUE at "
        + "--drain-max after 5m, cutting 1 session on b2 (still open)\n", cut.err());
    assertEquals(1, aws.lifecycleCalls().size());
    b.release();
    held.get(30, TimeUnit.SECONDS);
  }

  @Test
  void accessDeniedOnEachS3Action_isOneLineNamingIt_exit23_andNothingCompletes() throws Exception {
    Balancer b1 = balancers.get(0);
    aws.group("web").member("i-b", "Terminating:Wait", ZONE);
    assertEquals(0, apply(balancers.get(1)).code()); // b2 has drained it
    assertEquals(0, apply(b1).code());
    clock.advance(Duration.ofMinutes(3));
    for (String[] api : new String[][] {{"PutObject", "s3:PutObject"}, {"ListObjectsV2", "s3:ListBucket"},
        {"GetObject", "s3:GetObject"}}) {
      s3.clearFaults().inject(Fault.on(api[0]).accessDenied());
      Cli.Result denied = apply(b1, "-q");
      assertEquals(ExitCode.LIFECYCLE_FAILED.code, denied.code(), denied.err());
      assertEquals(1, denied.err().lines().count(), denied.err());
      assertTrue(denied.err().startsWith("haproxy-sd: lifecycle: drain reports: S3 " + api[0]
          + " s3://fleet/drain/"), denied.err());
      assertTrue(denied.err().contains("access denied (HTTP 403 AccessDenied); allow " + api[1] + " on arn:aws:s3:::"
          + "fleet"), denied.err());
      assertTrue(denied.err().contains("; the next run tries again"), denied.err());
      assertEquals(0, aws.requests("CompleteLifecycleAction"), api[0] + " denied: nothing completed");
    }
    s3.clearFaults();
    assertEquals(0, apply(b1).code());
    assertEquals(1, aws.lifecycleCalls().size(), "allowed again: completed");
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  private interface Run {
    Cli.Result run() throws Exception;
  }

  /** The S3 requests one run made (the Auto Scaling calls it passed on are not S3's). */
  private List<String> s3Apis(Run run) throws Exception {
    int before = s3.requests().size();
    Cli.Result result = run.run();
    assertEquals(0, result.code(), result.err());
    return s3.requests().subList(before, s3.requests().size()).stream().map(FakeS3.Request::api).toList();
  }

  private int s3Requests(Run run) throws Exception {
    return s3Apis(run).size();
  }

  private List<String> reportKeys() {
    List<String> keys = new ArrayList<>();
    for (String name : List.of("b1", "b2", "b3")) {
      if (s3.object("fleet", PREFIX + name + ".json") != null) {
        keys.add(PREFIX + name + ".json");
      }
    }
    return keys;
  }

  private List<String> sourceAndTemplate(HaproxyInstance.Layout layout, Path serverState) {
    List<String> args = new ArrayList<>(List.of("--asg", "web", "--region", "us-east-1", "--endpoint-url",
        s3.endpoint().toString(), "--template", HaproxyInstance.slotsTemplate().toString(), "--slots", "4", "--var",
        "server_state_file=" + serverState, "--var", "hard_stop_after=60s"));
    args.addAll(layout.templateVars());
    return args;
  }

  private List<String> applyArgs(Balancer balancer) {
    HaproxyInstance.Layout layout = balancer.haproxy().layout();
    List<String> args = new ArrayList<>(List.of("apply", "--config-file", layout.configFile().toString(),
        "--state-dir", balancer.stateDir().toString(), "--reload", "master-socket:" + layout.masterSocket(),
        "--runtime-api", layout.statsSocket().toString(), "--lifecycle-hook", "drain", "--drain-reports",
        "s3://fleet/" + PREFIX, "--balancer-id", balancer.name(), "--metrics-file", balancer.metrics().toString()));
    args.addAll(sourceAndTemplate(layout, balancer.serverStateFile()));
    return args;
  }

  /** One apply on the fake clock. */
  private Cli.Result apply(Balancer balancer, String... extra) throws IOException {
    List<String> args = new ArrayList<>(applyArgs(balancer));
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        Cli.hermetic(balancer.stateDir()), RunObserver.NONE, clock, args.toArray(String[]::new));
    return new Cli.Result(code, out.toString(), err.toString());
  }

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

  /** Waits until no worker of the balancer counts a session on B's port (a condition, not a time). */
  private void awaitNoSessionOnB(Balancer balancer) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (balancer.haproxy().stats("show stat").lines().map(l -> l.split(",")).anyMatch(f -> f.length > 73
        && f[0].equals("web") && f[73].equals("127.0.0.1:" + b.port()) && !f[4].equals("0"))) {
      assertTrue(System.nanoTime() < deadline, "haproxy still counts a session on B");
      Thread.sleep(20);
    }
    assertNotNull(balancer);
    assertFalse(Thread.currentThread().isInterrupted());
  }
}
