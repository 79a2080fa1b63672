package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.FakeClock;
import dev.haproxysd.testing.FakeS3;
import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.HoldingBackend;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Drain before terminate on a balancer that only reads the published inventory: one publisher discovers the group
 * (fake Auto Scaling/EC2), a real master-worker haproxy balancer applies {@code --inventory s3://...} (fake S3)
 * with {@code --lifecycle-hook}: the member the group holds in Terminating:Wait is drained through the runtime API
 * and its action completed exactly once, in the group's region, without a reload and without a discovery call by
 * the reader.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class S3ReaderLifecycleWithHaproxyTest {
  private static final String URL = "s3://fleet-inventory/prod/inventory.json";
  @TempDir Path dir;
  @AutoClose FakeAws aws = FakeAws.start();
  @AutoClose FakeS3 s3 = FakeS3.start().forwardOthersTo(aws.endpoint());
  @AutoClose HoldingBackend a = HoldingBackend.start("A");
  @AutoClose HoldingBackend b = HoldingBackend.start("B");
  private final FakeClock clock = new FakeClock();
  private HaproxyInstance haproxy;
  private Path serverState;

  @BeforeEach
  void publisherAndOneReader() throws IOException {
    s3.bucket("fleet-inventory");
    aws.group("web").tag("HAProxy:Service:Port", "80").hook("drain", "autoscaling:EC2_INSTANCE_TERMINATING", 900);
    aws.asgInstance("web", "i-a", "InService", "127.0.0.1").tag("HAProxy:Instance:Port", "" + a.port());
    publish();
    serverState = Files.writeString(dir.resolve("server-state"), "1\n");
    haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir), Map.of(), layout -> {
      List<String> render = new ArrayList<>(List.of("render", "--output", layout.configFile().toString()));
      render.addAll(sourceAndTemplate(layout));
      Cli.Result bootstrap = Cli.run(render);
      assertEquals(0, bootstrap.code(), bootstrap.err());
    });
    // i-b joins; the reader's first apply installs and reloads (verified) on the system clock, and records it.
    aws.asgInstance("web", "i-b", "InService", "127.0.0.1").tag("HAProxy:Instance:Port", "" + b.port());
    publish();
    Cli.Result recorded = Cli.run(applyArgs());
    assertEquals(0, recorded.code(), recorded.err());
    assertTrue(recorded.err().contains("reload: yes"), recorded.err());
  }

  @AfterEach
  void stop() {
    haproxy.close();
  }

  @Test
  void theWaitingMemberIsDrainedAndCompletedExactlyOnce_withoutAReloadOrADiscoveryCall() throws Exception {
    ProcStatus start = haproxy.showProc();
    aws.group("web").member("i-b", "Terminating:Wait", "us-east-1a");
    publish();
    int discoveryCalls = aws.requests("DescribeAutoScalingGroups") + aws.requests("DescribeInstances");

    Cli.Result seen = apply();
    assertEquals(0, seen.code(), seen.err());
    assertTrue(seen.err().contains("runtime changes: 1, reload: no"), seen.err());
    assertTrue(Files.readString(dir.resolve("state/lifecycle.json")).contains("\"instance\":\"i-b\""));
    assertEquals(List.of(), aws.lifecycleCalls(), "first seen now: --drain-min has not passed");

    clock.advance(Duration.ofMinutes(3));
    Cli.Result drained = apply();
    assertEquals(0, drained.code(), drained.err());
    assertTrue(drained.err().contains("lifecycle: completed hook drain of i-b (group web) with CONTINUE after 3m: no "
        + "session left"), drained.err());
    assertEquals(List.of(new FakeAws.LifecycleCall("CompleteLifecycleAction", "web", "drain", "i-b", "CONTINUE")),
        aws.lifecycleCalls());
    assertTrue(aws.requests().stream().filter(r -> r.api().contains("Lifecycle") && !r.api().startsWith("Put"))
        .allMatch(r -> "us-east-1".equals(r.region())), "in the group's region");

    clock.advance(Duration.ofMinutes(1));
    Cli.Result again = apply();
    assertEquals(0, again.code(), again.err());
    assertEquals(1, aws.requests("CompleteLifecycleAction"), "exactly once");
    assertEquals(discoveryCalls, aws.requests("DescribeAutoScalingGroups") + aws.requests("DescribeInstances"),
        "the reader never discovers");
    haproxy.assertNoReloadSince(start, "drained and completed without a reload");
  }

  private void publish() {
    Cli.Result published = Cli.run("discover", "-q", "--asg", "web", "--region", "us-east-1", "--endpoint-url",
        s3.endpoint().toString(), "--publish", URL);
    assertEquals(0, published.code(), published.err());
  }

  /** The reader's source (its age unchecked: the run's clock is fake) and template. */
  private List<String> sourceAndTemplate(HaproxyInstance.Layout layout) {
    List<String> args = new ArrayList<>(List.of("--inventory", URL, "--max-inventory-age", "0", "--region",
        "us-east-1", "--endpoint-url", s3.endpoint().toString(), "--template",
        HaproxyInstance.slotsTemplate().toString(), "--slots", "4", "--var", "server_state_file=" + serverState));
    args.addAll(layout.templateVars());
    return args;
  }

  private List<String> applyArgs() {
    HaproxyInstance.Layout layout = haproxy.layout();
    List<String> args = new ArrayList<>(List.of("apply", "--config-file", layout.configFile().toString(),
        "--state-dir", dir.resolve("state").toString(), "--reload", "master-socket:" + layout.masterSocket(),
        "--runtime-api", layout.statsSocket().toString(), "--lifecycle-hook", "drain"));
    args.addAll(sourceAndTemplate(layout));
    return args;
  }

  /** One apply on the fake clock. */
  private Cli.Result apply() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        Cli.hermetic(dir.resolve("state")), RunObserver.NONE, clock, applyArgs().toArray(String[]::new));
    return new Cli.Result(code, out.toString(), err.toString());
  }
}
