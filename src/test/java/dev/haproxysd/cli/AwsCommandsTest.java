package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.Fault;
import dev.haproxysd.testing.FakeAws;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands against a fake AWS endpoint, in process, through {@link Main#run}. */
class AwsCommandsTest {
  @AutoClose private final FakeAws aws = FakeAws.start();
  @TempDir Path dir;

  private Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint-url", aws.endpoint().toString()));
    return Cli.run(all);
  }

  private void webGroup() {
    aws.group("web").tag("HAProxy:Service:Port", "8080");
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1").tag("Name", "web-a");
    aws.asgInstance("web", "i-0bbb", "Terminating:Wait", "10.0.0.2");
    aws.asgInstance("web", "i-0ccc", "Pending", "10.0.0.3");
  }

  @Test
  void discoverAsgJson_printsTheInventoryThatInventoryReads() throws Exception {
    webGroup();

    Cli.Result run = run("discover", "--asg", "web", "--region", "us-east-1", "-o", "json");

    assertEquals(0, run.code(), run.err());
    assertEquals("", run.err());
    Inventory inventory = InventoryJson.read(new StringReader(run.out()), "stdout");
    assertEquals(List.of("i-0aaa 10.0.0.1:8080 ready", "i-0bbb 10.0.0.2:8080 drain"),
        inventory.services().get(0).servers().stream()
            .map(s -> s.id() + " " + s.endpoint() + " " + s.state().id()).toList());
    assertEquals("web-a", inventory.services().get(0).servers().get(0).tags().get("Name"));
    assertTrue(aws.requests().stream().allMatch(r -> "us-east-1".equals(r.region())));
  }

  @Test
  void discoverAsgTable_listsServersWithState() {
    webGroup();

    Cli.Result run = run("discover", "--asg", "web", "--region", "us-east-1");

    assertEquals(0, run.code(), run.err());
    assertEquals(String.join("\n",
        "SERVICE  SERVER  ADDRESS        WEIGHT  STATE  ZONE",
        "web      i-0aaa  10.0.0.1:8080  100     ready  us-east-1a",
        "web      i-0bbb  10.0.0.2:8080  100     drain  us-east-1a", ""), run.out());
  }

  @Test
  void verbose_logsTheApiCallCount() {
    webGroup();

    Cli.Result run = run("discover", "-v", "--asg", "web", "--region", "us-east-1");

    assertTrue(run.err().contains(
        "haproxy-sd: debug: aws: 2 API calls (DescribeAutoScalingGroups 1, DescribeInstances 1)\n"), run.err());
  }

  @Test
  void tenThousandServers_renderAndDiff_eachDiscoverOnceIn12Calls() throws Exception {
    for (int n = 0; n < 10_000; n++) {
      String group = String.format("g%03d", n % 200);
      aws.asgInstance(group, String.format("i-%08x", n), "InService", "10." + (n >> 16) + "." + (n >> 8 & 255)
          + "." + (n & 255)).tag("HAProxy:Instance:Port", "8080");
      aws.group(group).tag("env", "bench");
    }
    String calls = "haproxy-sd: debug: aws: 12 API calls (DescribeAutoScalingGroups 2, DescribeInstances 10)";

    Cli.Result render = run("render", "-v", "--slots", "0", "--asg-tag", "env=bench", "--region", "us-east-1");
    assertEquals(0, render.code(), render.err());
    assertEquals(10_000, render.out().lines().filter(l -> l.startsWith("    server ")).count());
    assertEquals(1, render.err().lines().filter(calls::equals).count(), render.err());
    assertEquals(12, aws.requests().size());

    Path installed = Files.writeString(dir.resolve("haproxy.cfg"), render.out());
    Cli.Result diff = run("diff", "-v", "--slots", "0", "--asg-tag", "env=bench", "--region", "us-east-1", "--config-file",
        installed.toString());
    assertEquals(0, diff.code(), diff.err());
    assertEquals(1, diff.err().lines().filter(calls::equals).count(), diff.err());
    assertEquals(24, aws.requests().size());
  }

  @Test
  void renderCloudMapNamespace_rendersABackendPerService() {
    FakeAws.Namespace internal = aws.namespace("internal");
    internal.service("api").instance("api-1", "10.0.1.1", 8080).attribute("host", "api.example.com");
    internal.service("api").instance("api-2", "10.0.1.2", 8080).health("UNHEALTHY");
    internal.service("web").instance("web-1", "10.0.2.1", 80);

    Cli.Result run = run("render", "--cloudmap-namespace", "internal", "--region", "us-east-1");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("\nbackend api\n"), run.out());
    assertTrue(run.out().contains("    server slot1 10.0.1.1:8080 check weight 100 # api-1\n"), run.out());
    assertFalse(run.out().contains("api-2"), "unhealthy instances are not served by default");
    assertTrue(run.out().contains("    server slot1 10.0.2.1:80 check weight 100 # web-1\n"), run.out());
    assertEquals(run.out(), run("render", "--cloudmap-namespace", "internal", "--region", "us-east-1").out(),
        "byte-identical on a second run");
  }

  @Test
  void validate_runsTheRealHaproxyOnTheConfigRenderedFromAws() {
    webGroup();
    aws.namespace("internal").service("api").instance("api-1", "10.0.1.1", 8080).attribute("srv_weight", "0");

    Cli.Result run = run("validate", "--asg", "web", "--cloudmap-namespace", "internal", "--region", "us-east-1",
        "--var", "user=none", "--var", "group=none");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("the rendered config: valid"), run.err());
  }

  @Test
  void cloudMapHostsTemplate_routesByTheHostAttributeOfTheInstances() {
    FakeAws.Namespace internal = aws.namespace("internal");
    internal.service("api").instance("api-1", "10.0.1.1", 8080).attribute("host", "api.example.com");
    internal.service("api").instance("api-2", "10.0.1.2", 8080).attribute("host", "api.example.com");

    Cli.Result run = run("render", "-t", "builtin:cloudmap-hosts", "--cloudmap-namespace", "internal",
        "--region", "us-east-1");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("api.example.com"), run.out());
    assertTrue(run.out().contains("10.0.1.2:8080"), run.out());
  }

  @Test
  void severalSources_areMerged() throws Exception {
    webGroup();
    aws.namespace("internal").service("api").instance("api-1", "10.0.1.1", 8080);
    Path file = dir.resolve("static.json");
    Files.writeString(file, "{\"version\": 1, \"services\": [{\"name\": \"legacy\", \"servers\": "
        + "[{\"id\": \"old-1\", \"address\": \"192.0.2.1\", \"port\": 80}]}]}");

    Cli.Result run = run("discover", "-o", "json", "--inventory", file.toString(), "--asg", "web",
        "--cloudmap-namespace", "internal", "--region", "us-east-1");

    assertEquals(0, run.code(), run.err());
    Inventory inventory = InventoryJson.read(new StringReader(run.out()), "stdout");
    assertEquals(List.of("api", "legacy", "web"), inventory.services().stream().map(s -> s.name()).toList());
  }

  @Test
  void aFailedPage_exits10_withOneLineOnStderr_andNothingOnStdout() {
    for (int g = 1; g <= 3; g++) {
      aws.asgInstance("g" + g, "i-" + g, "InService", "10.0.0." + g);
    }
    aws.pageSize("DescribeAutoScalingGroups", 1).inject(Fault.on("DescribeAutoScalingGroups").page(2).serverError());

    Cli.Result run = run("render", "--asg", "g1", "--asg", "g2", "--asg", "g3", "--region", "us-east-1");

    assertEquals(10, run.code());
    assertEquals("", run.out());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("haproxy-sd: AWS DescribeAutoScalingGroups (groups 'g1', 'g2', 'g3', page 2) "
        + "failed: AWS server error after 3 attempts (HTTP 500 InternalFailure"), run.err());
  }

  @Test
  void accessDenied_exits10_namingTheIamAction() {
    webGroup();
    aws.inject(Fault.on("DescribeInstances").accessDenied());

    Cli.Result run = run("diff", "--asg", "web", "--region", "us-east-1", "-c", dir.resolve("haproxy.cfg").toString());

    assertEquals(10, run.code());
    assertEquals("", run.out());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().contains("allow the IAM action ec2:DescribeInstances"), run.err());
  }

  @Test
  void aTimeout_exits10() {
    webGroup();
    aws.inject(Fault.on("DescribeAutoScalingGroups").hang());

    Cli.Result run = run("discover", "--asg", "web", "--region", "us-east-1", "--aws-timeout", "1s",
        "--aws-attempt-timeout", "200ms");

    assertEquals(10, run.code());
    assertEquals("", run.out());
    assertTrue(run.err().contains("failed: timed out"), run.err());
  }

  @Test
  void hostileTags_neverReachTheConfig_butAHostileServiceNameFails() {
    String hostile = "x\n    http-request return status 200 content-type text/plain string \"${SECRET}\"";
    aws.group("web").tag("Owner", hostile);
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1").tag("Name", hostile);

    Cli.Result ok = run("render", "--asg", "web", "--region", "us-east-1");
    assertEquals(0, ok.code(), ok.err());
    assertFalse(ok.out().contains("http-request return"), ok.out());
    assertTrue(ok.out().contains("server slot1 10.0.0.1:80 check weight 100 # i-0aaa"), ok.out());

    aws.group("web").tag("HAProxy:Service:Name", hostile);
    Cli.Result refused = run("render", "--asg", "web", "--region", "us-east-1");
    assertEquals(12, refused.code(), refused.err());
    assertEquals("", refused.out());
    assertEquals(1, refused.err().lines().count(), refused.err());
    assertTrue(refused.err().contains("Auto Scaling group 'web': tag HAProxy:Service:Name: unsafe value"),
        refused.err());
  }

  @Test
  void aHostileTagThatATemplateReads_stopsTheRender() throws Exception {
    aws.group("web").tag("haproxy-sd:host", "a.example.com\n    http-request redirect location https://evil");
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1");

    Cli.Result run = run("render", "--asg", "web", "--region", "us-east-1");

    assertEquals(12, run.code(), run.err());
    assertEquals("", run.out());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().contains("service 'web' tag") && run.err().contains("haproxy-sd:host")
        && run.err().contains("unsafe value"), run.err());
  }

  @Test
  void usageErrors_exit2() {
    assertEquals(2, run("discover", "--cloudmap-service", "api", "--region", "us-east-1").code());
    assertEquals(2, run("discover", "--asg", "web", "--address", "elastic").code());
    assertEquals(2, run("discover", "--asg", "web", "--aws-timeout", "0").code());
    assertEquals(2, run("discover", "--asg", "web", "--port", "0").code());
    assertEquals(2, run("discover", "--cloudmap-namespace", "x", "--health", "sick").code());
    Cli.Result none = run("discover", "--region", "us-east-1");
    assertEquals(2, none.code());
    assertTrue(none.err().contains("No source: give --inventory FILE, --asg NAME, --asg-tag KEY=VALUE, --ec2-tag "
        + "KEY=VALUE|KEY, --ec2-filter NAME=V1,V2 or --cloudmap-namespace NAME"), none.err());
    assertEquals(0, aws.requests().size());
  }

  @Test
  void aClashBetweenSources_isRefused() throws Exception {
    webGroup();
    aws.namespace("internal").service("web").instance("w", "10.0.1.1", 80);

    Cli.Result run = run("discover", "--asg", "web", "--cloudmap-namespace", "internal", "--region", "us-east-1");

    assertEquals(12, run.code(), run.err());
    assertTrue(run.err().contains("two services are named 'web'"), run.err());
  }

  @Test
  void helpListsTheAwsOptions() {
    Cli.Result run = run("discover", "--help");
    for (String option : List.of("--asg", "--asg-tag", "--address", "--port", "--standby", "--name-tag",
        "--service-port-tag", "--instance-port-tag", "--weight-tag", "--state-tag", "--cloudmap-namespace",
        "--cloudmap-service", "--health", "--region", "--profile", "--endpoint-url", "--aws-timeout",
        "--aws-attempt-timeout")) {
      assertTrue(run.out().contains(option), option);
    }
  }
}
