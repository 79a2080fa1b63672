package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.FakeClock;
import dev.haproxysd.testing.Fault;
import dev.haproxysd.testing.HaproxyInstance;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --lifecycle-hook} without a runtime API (completion by time alone), against the fake Auto Scaling
 * endpoint on a fake clock: the one warning, heartbeats while the hook would time out first, a failed call's exit
 * code and its retry, the metrics, and the usage errors. haproxy only checks the candidate ({@code haproxy -c}).
 */
class LifecycleCliTest {
  @TempDir Path dir;
  @AutoClose FakeAws aws = FakeAws.start();
  private final FakeClock clock = new FakeClock();
  private Path metrics;
  private HaproxyInstance.Layout layout;

  @BeforeEach
  void groupWithALeavingInstance() {
    aws.group("web").tag("HAProxy:Service:Port", "8080").hook("drain", "autoscaling:EC2_INSTANCE_TERMINATING", 300)
        .hook("launch", "autoscaling:EC2_INSTANCE_LAUNCHING", 300);
    aws.asgInstance("web", "i-a", "InService", "10.0.0.1");
    aws.asgInstance("web", "i-b", "Terminating:Wait", "10.0.0.2");
    metrics = dir.resolve("haproxy_sd.prom");
    layout = HaproxyInstance.layout(dir);
  }

  @Test
  void withoutARuntimeApi_completesByTimeAlone_heartbeatsMeanwhile_andRetriesAFailedCall() throws IOException {
    Cli.Result first = apply("--drain-min", "10m", "--drain-max", "20m", "--lifecycle-result", "ABANDON");
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("haproxy-sd: warning: no --runtime-api: cannot count the sessions of 1 instance "
        + "now waiting in Terminating:Wait; their lifecycle actions complete by time alone, --drain-min 10m after "
        + "first seen"), first.err());
    assertEquals(1, aws.requests("DescribeLifecycleHooks"));
    assertEquals(List.of(), aws.lifecycleCalls());

    clock.advance(Duration.ofMinutes(1));
    Cli.Result quiet = apply("--drain-min", "10m", "--drain-max", "20m", "--lifecycle-result", "ABANDON");
    assertEquals("", quiet.err(), "warned once; nothing to do yet");

    clock.advance(Duration.ofMinutes(2)); // 3m: more than half the hook's 5m heartbeat timeout since first seen
    assertEquals(0, apply("--drain-min", "10m", "--drain-max", "20m", "--lifecycle-result", "ABANDON").code());
    assertEquals(List.of(new FakeAws.LifecycleCall("RecordLifecycleActionHeartbeat", "web", "drain", "i-b", null)),
        aws.lifecycleCalls());
    assertTrue(Files.readString(metrics).contains("haproxy_sd_lifecycle_heartbeats 1\n"));

    clock.advance(Duration.ofMinutes(1)); // 4m: 1m since the heartbeat
    assertEquals(0, apply("--drain-min", "10m", "--drain-max", "20m", "--lifecycle-result", "ABANDON").code());
    assertEquals(1, aws.lifecycleCalls().size());

    clock.advance(Duration.ofMinutes(6)); // 10m: --drain-min passed, but the call is refused
    aws.inject(Fault.on("CompleteLifecycleAction").times(1).accessDenied());
    Cli.Result denied = apply("--drain-min", "10m", "--drain-max", "20m", "--lifecycle-result", "ABANDON");
    assertEquals(23, denied.code(), denied.err());
    assertTrue(denied.oneErrorLine(), denied.err());
    assertTrue(denied.err().startsWith("haproxy-sd: lifecycle: AWS CompleteLifecycleAction (group web, hook drain, "
        + "instance i-b) failed: access denied (HTTP 403 AccessDenied"), denied.err());
    assertTrue(denied.err().contains("allow the IAM action autoscaling:CompleteLifecycleAction"), denied.err());
    assertTrue(denied.err().contains("the next run tries again"), denied.err());
    String failed = Files.readString(metrics);
    assertTrue(failed.contains("haproxy_sd_last_run_exit_code 23\n"), failed);
    assertTrue(failed.contains("haproxy_sd_lifecycle_failures 1\n"), failed);
    assertTrue(failed.contains("haproxy_sd_lifecycle_draining 1\n"), failed);

    clock.advance(Duration.ofMinutes(1));
    Cli.Result retried = apply("--drain-min", "10m", "--drain-max", "20m", "--lifecycle-result", "ABANDON");
    assertEquals(0, retried.code(), retried.err());
    assertTrue(retried.err().contains("lifecycle: completed hook drain of i-b (group web) with ABANDON after 11m "
        + "(by time alone)"), retried.err());
    assertEquals(new FakeAws.LifecycleCall("CompleteLifecycleAction", "web", "drain", "i-b", "ABANDON"),
        aws.lifecycleCalls().get(1));
    String done = Files.readString(metrics);
    assertTrue(done.contains("haproxy_sd_lifecycle_completions 1\n"), done);
    assertTrue(done.contains("haproxy_sd_lifecycle_draining 0\n"), done);
    assertTrue(done.contains("haproxy_sd_lifecycle_failures 0\n"), done);
    assertEquals(6, aws.requests("DescribeLifecycleHooks"), "one DescribeLifecycleHooks a run while one waits");
  }

  @Test
  void theHooksHeartbeatTimeoutIsTheDefaultDrainMaximum() {
    assertEquals(0, apply("--drain-min", "10m").code());
    clock.advance(Duration.ofMinutes(5));
    Cli.Result atMax = apply("--drain-min", "10m");
    assertEquals(0, atMax.code(), atMax.err());
    assertEquals(List.of(new FakeAws.LifecycleCall("CompleteLifecycleAction", "web", "drain", "i-b", "CONTINUE")),
        aws.lifecycleCalls(), "completed at the hook's heartbeat timeout (5m), before --drain-min");
  }

  @Test
  void anActionThatTimedOut_countsAsDone_andNoWaitingInstanceCostsNoCall() {
    assertEquals(0, apply().code());
    aws.endAction("web", "drain", "i-b");
    clock.advance(Duration.ofMinutes(2));
    Cli.Result gone = apply();
    assertEquals(0, gone.code(), gone.err());
    assertTrue(gone.err().contains("hook drain of i-b (group web) was already completed"), gone.err());

    aws.group("web").removeMember("i-b");
    int describes = aws.requests("DescribeLifecycleHooks");
    assertEquals(0, apply().code());
    assertEquals(describes, aws.requests("DescribeLifecycleHooks"), "nothing waits: no lifecycle call");
    assertFalse(Files.exists(dir.resolve("state/lifecycle.json")));
  }

  @Test
  void aGroupWithoutTheNamedHook_isDrainedButNotCompleted() {
    Cli.Result run = apply("--lifecycle-hook", "launch,other");
    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("Auto Scaling group web has no termination hook named launch or other"),
        run.err());
    assertEquals(List.of(), aws.lifecycleCalls());
  }

  @Test
  void withTwoAccounts_eachActionIsCompletedInItsGroupsAccount_withThatAccountsRole() {
    String reader = "arn:aws:iam::111122223333:role/haproxy-sd";
    String ops = "arn:aws:iam::444455556666:role/haproxy-sd";
    try (FakeAws other = FakeAws.start()) {
      aws.route("111122223333", null, aws).route("444455556666", null, other);
      aws.group("web").tag("lb", "yes");
      other.group("api").tag("lb", "yes").tag("HAProxy:Service:Port", "8080")
          .hook("drain", "autoscaling:EC2_INSTANCE_TERMINATING", 300);
      other.asgInstance("api", "i-c", "Terminating:Wait", "10.1.0.3");
      String[] twoAccounts = {"--asg-tag", "lb=yes", "--role-arn", reader + "," + ops, "--drain-min", "1m"};
      assertEquals(0, apply(twoAccounts).code());
      clock.advance(Duration.ofMinutes(2));
      Cli.Result run = apply(twoAccounts);

      assertEquals(0, run.code(), run.err());
      assertEquals(List.of(new FakeAws.LifecycleCall("CompleteLifecycleAction", "web", "drain", "i-b", "CONTINUE")),
          aws.lifecycleCalls());
      assertEquals(List.of(new FakeAws.LifecycleCall("CompleteLifecycleAction", "api", "drain", "i-c", "CONTINUE")),
          other.lifecycleCalls());
      assertTrue(other.requests().stream().filter(r -> r.api().contains("Lifecycle"))
          .allMatch(r -> ops.equals(aws.roleOf(r.accessKey()))), "signed with the ops account's role");
      assertTrue(aws.requests().stream().filter(r -> r.api().contains("Lifecycle"))
          .allMatch(r -> reader.equals(aws.roleOf(r.accessKey()))));
    }
  }

  /** The inventory a publisher discovered here, as {@code discover -o json} writes it (version 2). */
  private Path publishedFile() throws IOException {
    Cli.Result json = Cli.run("discover", "--asg", "web", "--region", "us-east-1", "--endpoint-url",
        aws.endpoint().toString(), "-o", "json");
    assertEquals(0, json.code(), json.err());
    return Files.writeString(dir.resolve("inventory.json"), json.out());
  }

  @Test
  void anInventoryFileWithGroups_drainsAndCompletesTheWaitingMember_inTheGroupsRegion() throws IOException {
    String[] reader = {"--inventory", publishedFile().toString(), "--drain-min", "1m"};
    int discovery = aws.requests().size();
    Cli.Result seen = apply(reader);
    assertEquals(0, seen.code(), seen.err());
    assertEquals(List.of(), aws.lifecycleCalls());

    clock.advance(Duration.ofMinutes(2));
    Cli.Result done = apply(reader);

    assertEquals(0, done.code(), done.err());
    assertEquals(List.of(new FakeAws.LifecycleCall("CompleteLifecycleAction", "web", "drain", "i-b", "CONTINUE")),
        aws.lifecycleCalls());
    assertTrue(aws.requests().subList(discovery, aws.requests().size()).stream()
        .allMatch(r -> r.api().contains("Lifecycle") && "us-east-1".equals(r.region())), "no discovery call");
    assertEquals(0, apply(reader).code());
    assertEquals(1, aws.requests("CompleteLifecycleAction"), "exactly once");
  }

  @Test
  void aGroupNoPairOfTheRunReaches_isOneWarning_andLeftToItsHooksTimeout() throws IOException {
    String[] elsewhere = {"--inventory", publishedFile().toString(), "--region", "eu-west-1", "--drain-min", "1m"};
    Cli.Result run = apply(elsewhere);
    clock.advance(Duration.ofMinutes(2));
    Cli.Result again = apply(elsewhere);

    assertEquals(0, run.code(), run.err());
    assertEquals(0, again.code(), again.err());
    assertEquals(1, again.err().lines().filter(l -> l.contains("lifecycle: Auto Scaling group 'web' is in "
        + "us-east-1, which no --region/--role-arn of this run reaches: its waiting instances are drained, and their "
        + "lifecycle actions left to the hook's timeout (add --region us-east-1)")).count(), again.err());
    assertEquals(List.of(), aws.lifecycleCalls());
    assertEquals(0, aws.requests("DescribeLifecycleHooks"));
  }

  @Test
  void usageErrors() throws IOException {
    Cli.Result noAsg = apply("--cloudmap-namespace", "prod", "--lifecycle-hook", "drain");
    assertEquals(2, noAsg.code());
    assertTrue(noAsg.err().contains("--lifecycle-hook needs an Auto Scaling source (--asg or --asg-tag), or an "
        + "--inventory that carries its groups"), noAsg.err());
    Path v1 = Files.writeString(dir.resolve("v1.json"), "{\"version\": 1, \"services\": [{\"name\": \"web\", "
        + "\"servers\": [{\"id\": \"i-a\", \"address\": \"10.0.0.1\", \"port\": 8080}]}]}\n");
    Cli.Result noGroups = apply("--inventory", v1.toString());
    assertEquals(2, noGroups.code(), noGroups.err());
    String last = noGroups.errLines().get(noGroups.errLines().size() - 1);
    assertTrue(last.startsWith("haproxy-sd: --lifecycle-hook needs an Auto Scaling source: the inventory "
        + v1 + " carries no Auto Scaling group facts (version 1, or no service from a group)"), noGroups.err());
    assertEquals(1, noGroups.errLines().stream().filter(l -> !l.startsWith("haproxy-sd: warning: ")).count(),
        noGroups.err());
    assertFalse(Files.exists(layout.configFile()), "refused before any config work");
    assertTrue(Files.readString(metrics).contains("haproxy_sd_last_run_exit_code 2\n"));
    Cli.Result inverted = apply("--drain-min", "5m", "--drain-max", "1m");
    assertEquals(2, inverted.code());
    assertTrue(inverted.err().contains("--drain-max 1m is shorter than --drain-min 5m"), inverted.err());
    assertEquals(2, apply("--lifecycle-result", "STOP").code());
    Cli.Result alone = Cli.run("apply", "--inventory", "/dev/null", "--drain-reports", "s3://fleet/drain/");
    assertEquals(2, alone.code(), alone.err());
    assertTrue(alone.err().contains("--drain-reports needs --lifecycle-hook"), alone.err());
    Cli.Result noSlash = apply("--drain-reports", "s3://fleet/drain");
    assertEquals(2, noSlash.code(), noSlash.err());
    assertTrue(noSlash.err().contains("--drain-reports expected s3://BUCKET/PREFIX/ (ending in /), not "
        + "'s3://fleet/drain'"), noSlash.err());
    Cli.Result slashInId = apply("--drain-reports", "s3://fleet/drain/", "--balancer-id", "lb/a");
    assertEquals(2, slashInId.code(), slashInId.err());
    assertTrue(slashInId.err().contains("--balancer-id: balancer id 'lb/a' is not a short token"), slashInId.err());
    assertEquals(2, apply("--drain-reports", "s3://fleet/drain/", "--balancer-liveness", "0s").code());
  }

  /**
   * One apply on the fake clock with {@code --lifecycle-hook drain} (unless {@code extra} names hooks): no runtime
   * API, no reload; the candidate checked by the real haproxy -c.
   */
  private Cli.Result apply(String... extra) {
    List<String> given = List.of(extra);
    List<String> args = new ArrayList<>(List.of("apply", "--endpoint-url", aws.endpoint().toString(), "--config-file", layout.configFile().toString(), "--state-dir",
        dir.resolve("state").toString(), "--template", HaproxyInstance.testTemplate().toString(),
        "--metrics-file", metrics.toString()));
    if (!given.contains("--region")) {
      args.addAll(List.of("--region", "us-east-1"));
    }
    if (!given.contains("--asg-tag") && !given.contains("--inventory") && !given.contains("--cloudmap-namespace")) {
      args.addAll(List.of("--asg", "web"));
    }
    if (!given.contains("--lifecycle-hook")) {
      args.addAll(List.of("--lifecycle-hook", "drain"));
    }
    args.addAll(layout.templateVars());
    args.addAll(List.of(extra));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        Cli.hermetic(dir.resolve("state")), RunObserver.NONE, clock, args.toArray(String[]::new));
    return new Cli.Result(code, out.toString(), err.toString());
  }
}
