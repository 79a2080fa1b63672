package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.Fault;
import dev.haproxysd.testing.FakeAws;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code --role-arn}, {@code --external-id} and several {@code --region}s against one fake endpoint that tells
 * regions and accounts apart by the SigV4 signature, as AWS does. Base credentials are the build's test keys.
 */
class AwsIdentitiesCommandsTest {
  private static final String READER = "arn:aws:iam::111122223333:role/haproxy-sd-reader";
  private static final String OTHER = "arn:aws:iam::444455556666:role/ops/haproxy-sd-reader";

  private final FakeAws aws = FakeAws.start();
  private final FakeAws west = FakeAws.start();
  private final FakeAws other = FakeAws.start();

  @AfterEach
  void stop() {
    aws.close();
    west.close();
    other.close();
  }

  private Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint-url", aws.endpoint().toString()));
    return Cli.run(all);
  }

  private static List<FakeAws.Request> discoveryCalls(FakeAws fake) {
    return fake.requests().stream().filter(r -> !r.api().startsWith("AssumeRole")).toList();
  }

  private static Inventory json(String out) throws Exception {
    return InventoryJson.read(new StringReader(out), "stdout");
  }

  @Test
  void roleArn_everyDiscoveryCallIsSignedWithTheAssumedKey() throws Exception {
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1");
    aws.namespace("internal").service("api").instance("api-1", "10.0.1.1", 8080);

    Cli.Result run = run("discover", "--asg", "web", "--cloudmap-namespace", "internal", "--region", "us-east-1",
        "--role-arn", READER, "--role-session-name", "lb-1", "-o", "json");

    assertEquals(0, run.code(), run.err());
    List<FakeAws.Request> assume = aws.requests().stream().filter(r -> r.api().equals("AssumeRole")).toList();
    assertEquals(1, assume.size(), aws.requests().toString());
    assertEquals(FakeAws.ACCESS_KEY, assume.get(0).accessKey());
    assertEquals("sts", assume.get(0).signingService());
    assertEquals(READER, assume.get(0).form().get("RoleArn"));
    assertEquals("lb-1", assume.get(0).form().get("RoleSessionName"));
    List<FakeAws.Request> calls = discoveryCalls(aws);
    assertEquals(Set.of("DescribeAutoScalingGroups", "DescribeInstances", "ListNamespaces", "ListServices",
        "DiscoverInstances"), calls.stream().map(FakeAws.Request::api).collect(Collectors.toSet()));
    for (FakeAws.Request r : calls) {
      assertEquals(READER, aws.roleOf(r.accessKey()), r.toString());
      assertEquals(aws.sessionTokenOf(r.accessKey()), r.securityToken(), r.toString());
      assertEquals("us-east-1", r.region(), r.toString());
    }
    for (Server s : json(run.out()).services().stream().flatMap(x -> x.servers().stream()).toList()) {
      assertEquals("us-east-1", s.region());
      assertEquals("111122223333", s.account());
    }
    assertTrue(run.out().contains("\"region\": \"us-east-1\""), run.out());
  }

  @Test
  void twoRoles_discoverEachAccountWithItsOwnKeyAndMergeTheServices() throws Exception {
    aws.route("111122223333", null, aws).route("444455556666", null, other);
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1");
    other.asgInstance("web", "i-0bbb", "InService", "10.1.0.1");

    Cli.Result run = run("discover", "--asg", "web", "--region", "us-east-1", "--role-arn", READER + "," + OTHER,
        "-o", "json");

    assertEquals(0, run.code(), run.err());
    assertEquals(List.of("i-0aaa 111122223333", "i-0bbb 444455556666"), json(run.out()).services().get(0).servers()
        .stream().map(s -> s.id() + " " + s.account()).toList());
    assertTrue(discoveryCalls(aws).stream().allMatch(r -> READER.equals(aws.roleOf(r.accessKey()))));
    assertTrue(discoveryCalls(other).stream().allMatch(r -> OTHER.equals(aws.roleOf(r.accessKey()))));
    assertEquals(2, discoveryCalls(other).size());
  }

  @Test
  void externalId_isSentWithAssumeRole_andAWrongOneFailsNamingThePair() {
    aws.requireExternalId(READER, "tenant-42");
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1");

    Cli.Result ok = run("discover", "--asg", "web", "--region", "us-east-1", "--role-arn", READER,
        "--external-id", "tenant-42");
    Cli.Result wrong = run("discover", "--asg", "web", "--region", "us-east-1", "--role-arn", READER,
        "--external-id", "tenant-7");

    assertEquals(0, ok.code(), ok.err());
    assertEquals(10, wrong.code(), wrong.err());
    assertEquals(1, wrong.errLines().size(), wrong.err());
    assertTrue(wrong.err().startsWith("haproxy-sd: AWS account 111122223333 (role haproxy-sd-reader) us-east-1: "
        + "AWS DescribeAutoScalingGroups (groups 'web') failed: the role could not be assumed (HTTP 403 "
        + "AccessDenied"), wrong.err());
    assertTrue(wrong.err().contains("allow sts:AssumeRole on the role"), wrong.err());
  }

  @Test
  void twoRegions_oneEndpoint_mergeIntoOneServiceWithTheRegionOfEachServer() throws Exception {
    aws.route(null, "eu-west-1", west);
    aws.group("web").tag("HAProxy:Service:Port", "8080");
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1");
    west.group("web").tag("HAProxy:Service:Port", "8080");
    west.asgInstance("web", "i-0bbb", "InService", "10.1.0.1");

    Cli.Result run = run("discover", "--asg", "web", "--region", "us-east-1", "--region", "eu-west-1", "-o",
        "json");

    assertEquals(0, run.code(), run.err());
    Inventory inventory = json(run.out());
    assertEquals(1, inventory.services().size());
    assertEquals(List.of("i-0aaa 10.0.0.1:8080 us-east-1 ", "i-0bbb 10.1.0.1:8080 eu-west-1 "),
        inventory.services().get(0).servers().stream()
            .map(s -> s.id() + " " + s.endpoint() + " " + s.region() + " " + s.account()).toList());
    assertEquals(2, aws.requests().size());
    assertTrue(aws.requests().stream().allMatch(r -> "us-east-1".equals(r.region())));
    assertEquals(2, west.requests().size());
    assertTrue(west.requests().stream().allMatch(r -> "eu-west-1".equals(r.region())
        && FakeAws.ACCESS_KEY.equals(r.accessKey())));
  }

  @Test
  void regions_areDiscoveredConcurrently() {
    FakeAws south = FakeAws.start();
    try (south) {
      aws.route(null, "eu-west-1", west).route(null, "ap-south-1", south);
      CountDownLatch allThree = new CountDownLatch(3);
      for (FakeAws fake : List.of(aws, west, south)) {
        fake.asgInstance("web", "i-" + fake.endpoint().getPort(), "InService", "10.0.0.1");
        fake.gate("DescribeAutoScalingGroups", allThree);
      }

      // each region's first call is held until all three have arrived: one after the other would time out
      Cli.Result run = run("discover", "--asg", "web", "--region", "us-east-1,eu-west-1,ap-south-1",
          "--aws-attempt-timeout", "20s");

      assertEquals(0, run.code(), run.err());
      assertEquals(0, allThree.getCount());
      assertEquals(4, run.out().lines().count(), run.out());
    }
  }

  @Test
  void commaSeparatedRegions_sameIdInBothRegions_becomeTwoServersQualifiedByRegion() throws Exception {
    aws.route(null, "eu-west-1", west);
    aws.namespace("internal").service("api").instance("api-1", "10.0.1.1", 8080);
    west.namespace("internal").service("api").instance("api-1", "10.1.1.1", 8080);

    Cli.Result run = run("discover", "--cloudmap-namespace", "internal", "--region", "us-east-1,eu-west-1", "-o",
        "json");

    assertEquals(0, run.code(), run.err());
    assertEquals(List.of("api-1.eu-west-1 10.1.1.1:8080", "api-1.us-east-1 10.0.1.1:8080"),
        json(run.out()).services().get(0).servers().stream().map(s -> s.id() + " " + s.endpoint()).toList());
  }

  @Test
  void oneRegionFailing_failsTheRunNamingTheRegion() {
    aws.route(null, "eu-west-1", west);
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1");
    west.asgInstance("web", "i-0bbb", "InService", "10.1.0.1");
    west.inject(Fault.on("DescribeInstances").accessDenied());

    Cli.Result run = run("render", "--asg", "web", "--region", "us-east-1,eu-west-1");

    assertEquals(10, run.code(), run.err());
    assertEquals("", run.out());
    assertEquals(1, run.errLines().size(), run.err());
    assertTrue(run.err().startsWith("haproxy-sd: AWS eu-west-1: AWS DescribeInstances (1 instance of the selected "
        + "groups) failed: access denied"), run.err());
    assertTrue(aws.requests("DescribeInstances") == 1, "the healthy region was discovered too");
  }

  @Test
  void singleRegionWithoutRole_writesNoRegionOrAccount() throws Exception {
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1");

    Cli.Result run = run("discover", "--asg", "web", "--region", "us-east-1", "-o", "json");

    assertEquals(0, run.code(), run.err());
    Inventory inventory = json(run.out());
    Service web = inventory.services().get(0);
    assertTrue(web.servers().stream().allMatch(s -> s.region().isEmpty() && s.account().isEmpty()), run.out());
    assertEquals(List.of("web us-east-1 "), web.groups().stream().map(g -> g.name() + " " + g.region() + " "
        + g.account()).toList(), "the group says where it lives (lifecycle calls go there), without an account");
    assertFalse(run.out().contains("account"), run.out());
    assertTrue(aws.requests().stream().noneMatch(r -> r.api().startsWith("AssumeRole")));
  }

  @Test
  void malformedIdentityOptions_areUsageErrorsNamingTheOption() {
    for (String[] args : List.of(
        new String[] {"--role-arn", ""},
        new String[] {"--role-arn", "arn:aws:iam::12345:role/x"},
        new String[] {"--role-arn", "arn:aws:iam::111122223333:user/x"},
        new String[] {"--role-arn", READER, "--external-id", "x"},
        new String[] {"--role-arn", READER, "--role-session-name", "has space"},
        new String[] {"--region", ""},
        new String[] {"--region", "us-east-1,,eu-west-1"})) {
      List<String> all = new ArrayList<>(List.of("discover", "--asg", "web"));
      all.addAll(List.of(args));
      Cli.Result run = Cli.run(all);
      assertEquals(2, run.code(), String.join(" ", args) + ": " + run.err());
      String option = args[args.length - 2];
      assertTrue(run.err().contains(option), option + ": " + run.err());
    }
    Cli.Result alone = Cli.run("discover", "--asg", "web", "--external-id", "tenant-42");
    assertEquals(2, alone.code(), alone.err());
    assertTrue(alone.err().contains("--external-id needs --role-arn"), alone.err());
  }
}
