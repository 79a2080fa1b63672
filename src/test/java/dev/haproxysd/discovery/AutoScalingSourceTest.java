package dev.haproxysd.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.ScalingGroup;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.UnsafeValueException;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.RecordingLog;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AutoScalingSourceTest {
  @AutoClose private final FakeAws aws = FakeAws.start();
  private final RecordingLog log = new RecordingLog();

  private Inventory discover(AwsQuery query) {
    return Source.aws(query, log).discover();
  }

  private Service web() {
    Inventory inventory = discover(AwsQueries.groups(aws, "web"));
    assertEquals(1, inventory.services().size());
    return inventory.services().get(0);
  }

  private static List<String> ids(Service service) {
    return service.servers().stream().map(Server::id).collect(Collectors.toList());
  }

  private AwsQuery.AutoScaling selection(List<String> names, Map<String, String> tags) {
    return new AwsQuery.AutoScaling(names, tags, AwsQuery.Address.PRIVATE, AwsQuery.Standby.MAINT);
  }

  @Test
  void theGroupsDesiredCapacityAndEveryMembersLifecycleState_travelWithTheService() {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    aws.asgInstance("web", "i-0002", "Terminating:Wait", "10.0.0.2");
    aws.asgInstance("web", "i-0003", "Detached", "10.0.0.3");
    aws.asgInstance("web", "i-0004", "Pending", "10.0.0.4");
    aws.group("web").desiredCapacity(2);

    Service web = web();

    assertEquals(List.of(new ScalingGroup("web", "us-east-1", "", 2, Map.of("i-0001", "InService",
        "i-0002", "Terminating:Wait", "i-0003", "Detached", "i-0004", "Pending"))), web.groups(),
        "the group where this source found it, in its one DescribeAutoScalingGroups call");
    assertEquals(List.of("i-0001", "i-0002"), ids(web), "a draining member is still a server; the others are not");
    ScalingGroup group = web.groups().get(0);
    assertTrue(group.leaving("i-0002") && group.leaving("i-0003"));
    assertFalse(group.leaving("i-0001") || group.leaving("i-0004") || group.leaving("i-0009"));
  }

  @Test
  void inServiceRunningInstances_becomeReadyServersWithTagsAndZone() {
    aws.group("web").tag("team", "payments");
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    aws.asgInstance("web", "i-0002", "InService", "10.0.0.2").tag("Name", "web-2");

    Service web = web();

    assertEquals("web", web.name());
    assertEquals("asg", web.source());
    assertEquals("payments", web.tags().get("team"));
    assertEquals(List.of("i-0001", "i-0002"), ids(web));
    Server second = web.servers().get(1);
    assertEquals("10.0.0.2:80", second.endpoint());
    assertEquals(ServerState.READY, second.state());
    assertEquals(Server.DEFAULT_WEIGHT, second.weight());
    assertEquals("us-east-1a", second.zone());
    assertEquals("web-2", second.tags().get("Name"));
    assertEquals("web", second.tags().get("aws:autoscaling:groupName"));
    assertTrue(aws.requests().stream().allMatch(r -> FakeAws.ACCESS_KEY.equals(r.accessKey())
        && "us-east-1".equals(r.region())), "signed with the test key for the region asked");
  }

  @ParameterizedTest(name = "lifecycle {0} -> {1}")
  @CsvSource({
    "InService, ready",
    "Terminating:Wait, drain",
    "Terminating, drain",
    "Terminating:Proceed, drain",
    "Detaching, drain",
    "Standby, maint",
    "EnteringStandby, maint",
    "Pending, absent",
    "Pending:Wait, absent",
    "Pending:Proceed, absent",
    "Quarantined, absent",
    "Detached, absent",
    "Warmed:Running, absent",
  })
  void lifecycleState_decidesServerState(String lifecycle, String expected) {
    aws.asgInstance("web", "i-0001", lifecycle, "10.0.0.1");

    Service web = web();

    if (expected.equals("absent")) {
      assertEquals(List.of(), web.servers());
    } else {
      assertEquals(expected, web.servers().get(0).state().id());
    }
  }

  @Test
  void standbySkip_leavesStandbyInstancesOut() {
    aws.asgInstance("web", "i-0001", "Standby", "10.0.0.1");
    aws.asgInstance("web", "i-0002", "InService", "10.0.0.2");

    Service web = discover(AwsQueries.autoScaling(aws, new AwsQuery.AutoScaling(List.of("web"), Map.of(),
        AwsQuery.Address.PRIVATE, AwsQuery.Standby.SKIP))).services().get(0);

    assertEquals(List.of("i-0002"), ids(web));
  }

  @ParameterizedTest
  @ValueSource(strings = {"pending", "stopping", "stopped", "shutting-down", "terminated"})
  void inServiceButNotRunningInEc2_isLeftOut(String ec2State) {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1").state(ec2State);
    aws.asgInstance("web", "i-0002", "InService", "10.0.0.2");

    assertEquals(List.of("i-0002"), ids(web()));
  }

  @Test
  void pendingInstances_areNotAskedOfEc2_andNoMemberNoCall() {
    aws.asgInstance("web", "i-0001", "Pending", "10.0.0.1");

    assertEquals(List.of(), web().servers());
    assertEquals(0, aws.requests("DescribeInstances"), "DescribeInstances without ids would list every instance");
  }

  @Test
  void groupWithoutInstances_isAServiceWithoutServers() {
    aws.group("web");

    assertEquals(List.of(), web().servers());
  }

  @Test
  void publicAddress_isUsedWhenAsked_andAnInstanceWithoutOneIsSkippedWithAWarning() {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1").publicIp("203.0.113.7");
    aws.asgInstance("web", "i-0002", "InService", "10.0.0.2");

    Service web = discover(AwsQueries.autoScaling(aws, new AwsQuery.AutoScaling(List.of("web"), Map.of(),
        AwsQuery.Address.PUBLIC, AwsQuery.Standby.MAINT))).services().get(0);

    assertEquals(List.of("203.0.113.7:80"), web.servers().stream().map(Server::endpoint).toList());
    assertEquals(1, log.warnings().size(), log.lines().toString());
    assertTrue(log.warnings().get(0).contains("'i-0002' skipped: it has no public IPv4 address"), log.warnings().get(0));
  }

  @Test
  void addressFromTag_survivesAsTheServerAddress_andBadOnesAreSkipped() {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1").tag("ip_address", "10.9.9.1");
    aws.asgInstance("web", "i-0002", "InService", "10.0.0.2").tag("ip_address", "10.9.9.2\n    server evil 6.6.6.6:80");
    aws.asgInstance("web", "i-0003", "InService", "10.0.0.3").tag("ip_address", "2001:db8::1");
    aws.asgInstance("web", "i-0004", "InService", "10.0.0.4").tag("ip_address", "web.internal");
    aws.asgInstance("web", "i-0005", "InService", "10.0.0.5");

    Service web = discover(AwsQueries.autoScaling(aws, new AwsQuery.AutoScaling(List.of("web"), Map.of(),
        AwsQuery.Address.parse("tag:ip_address"), AwsQuery.Standby.MAINT))).services().get(0);

    assertEquals(List.of("10.9.9.1:80"), web.servers().stream().map(Server::endpoint).toList());
    List<String> warnings = log.warnings();
    assertEquals(4, warnings.size(), warnings.toString());
    assertTrue(warnings.stream().noneMatch(w -> w.contains("\n")), "warnings stay one line");
    assertTrue(warnings.stream().anyMatch(w -> w.contains("'i-0003'") && w.contains("not IPv4")), warnings.toString());
    assertTrue(warnings.stream().anyMatch(w -> w.contains("'i-0005' skipped: it has no address tag ip_address")));
  }

  @Test
  void ports_comeFromTheGroupTag_thenTheInstanceTag_andBadInstancePortsAreSkipped() {
    aws.group("web").tag("HAProxy:Service:Port", "8080");
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    aws.asgInstance("web", "i-0002", "InService", "10.0.0.2").tag("HAProxy:Instance:Port", "9090");
    aws.asgInstance("web", "i-0003", "InService", "10.0.0.3").tag("HAProxy:Instance:Port", "80 check");
    aws.asgInstance("web", "i-0004", "InService", "10.0.0.4").tag("HAProxy:Instance:Port", "70000");
    aws.asgInstance("web", "i-0005", "InService", "10.0.0.5").tag("HAProxy:Instance:Port", "0");

    Service web = web();

    assertEquals(List.of("10.0.0.1:8080", "10.0.0.2:9090"), web.servers().stream().map(Server::endpoint).toList());
    assertEquals(3, log.warnings().size(), log.lines().toString());
  }

  @Test
  void aBadGroupPortTag_failsTheRun_ratherThanDroppingEveryServer() {
    aws.group("web").tag("HAProxy:Service:Port", "8080\n    bind :22");
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");

    UnsafeValueException e = assertThrows(UnsafeValueException.class, () -> web());

    assertTrue(e.getMessage().startsWith("Auto Scaling group 'web': tag HAProxy:Service:Port"), e.getMessage());
    assertTrue(!e.getMessage().contains("\n"));
  }

  @ParameterizedTest(name = "srv_weight {0} -> weight {1}, {2}")
  @CsvSource({
    "0, 0, drain",
    "1, 1, ready",
    "255, 1, ready",
    "256, 1, ready",
    "257, 2, ready",
    "25600, 100, ready",
    "65535, 256, ready",
  })
  void srvWeightTag_isScaledLikeHaproxyScalesSrvWeights(String tag, int weight, String state) {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1").tag("srv_weight", tag);

    Server server = web().servers().get(0);

    assertEquals(weight, server.weight());
    assertEquals(state, server.state().id());
  }

  @ParameterizedTest
  @ValueSource(strings = {"65536", "-1", "1e3", "12 backup", "", "0x10"})
  void badWeightTag_skipsTheServerWithAWarning(String tag) {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1").tag("srv_weight", tag);
    aws.asgInstance("web", "i-0002", "InService", "10.0.0.2");

    assertEquals(List.of("i-0002"), ids(web()));
    assertEquals(1, log.warnings().size(), log.lines().toString());
  }

  @Test
  void stateTag_canOnlyMakeAServerLessAvailable() {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1").tag("HAProxy:Instance:State", "maint");
    aws.asgInstance("web", "i-0002", "Terminating:Wait", "10.0.0.2").tag("HAProxy:Instance:State", "ready");
    aws.asgInstance("web", "i-0003", "InService", "10.0.0.3").tag("HAProxy:Instance:State", "drain");
    aws.asgInstance("web", "i-0004", "InService", "10.0.0.4").tag("HAProxy:Instance:State", "up\nserver x");

    Service web = web();

    assertEquals(List.of("maint", "drain", "drain"), web.servers().stream().map(s -> s.state().id()).toList());
    assertEquals(1, log.warnings().size());
  }

  @Test
  void tagNames_areConfigurable() {
    aws.group("web").tag("lb:name", "frontend-pool").tag("lb:port", "8443");
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1").tag("lb:weight", "512").tag("lb:state", "drain");
    AwsQuery query = new AwsQuery(AwsQueries.connection(aws), selection(List.of("web"), Map.of()),
        AwsQuery.CloudMap.NONE, new AwsQuery.TagNames("lb:name", "lb:port", "lb:iport", "lb:weight", "lb:state"), 80);

    Service service = discover(query).services().get(0);

    assertEquals("frontend-pool", service.name());
    Server server = service.servers().get(0);
    assertEquals(8443, server.port());
    assertEquals(2, server.weight());
    assertEquals(ServerState.DRAIN, server.state());
  }

  @Test
  void serviceNameTag_namesTheService_andAnUnsafeOneFailsTheRun() {
    aws.group("web").tag("HAProxy:Service:Name", "api");
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    assertEquals("api", web().name());

    aws.group("web").tag("HAProxy:Service:Name", "api\n    http-request return status 200");
    UnsafeValueException e = assertThrows(UnsafeValueException.class, () -> web());
    assertTrue(e.getMessage().contains("Auto Scaling group 'web': tag HAProxy:Service:Name: unsafe value"),
        e.getMessage());
    assertTrue(e.getMessage().contains("contains a line break"), e.getMessage());
  }

  @Test
  void aGroupNameHaproxyCannotUse_failsWithAHintAtTheNameTag() {
    aws.asgInstance("web tier", "i-0001", "InService", "10.0.0.1");

    UnsafeValueException e = assertThrows(UnsafeValueException.class,
        () -> discover(AwsQueries.groups(aws, "web tier")));

    assertTrue(e.getMessage().contains("set the tag HAProxy:Service:Name"), e.getMessage());
  }

  @Test
  void hostileTagValues_areKeptRawForTemplates_whileTheServerIsStillServed() {
    String hostile = "x\n    http-request return status 200 content-type text/plain string \"${SECRET}\"";
    aws.group("web").tag("haproxy-sd:host", hostile);
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1").tag("Name", hostile).tag("#", "a b");

    Service web = web();

    assertEquals(hostile, web.tags().get("haproxy-sd:host"));
    assertEquals(hostile, web.servers().get(0).tags().get("Name"));
    assertEquals("a b", web.servers().get(0).tags().get("#"));
  }

  @Test
  void groupsByTag_allTagsMustMatch_andNamesNarrowFurther() {
    aws.group("a").tag("env", "prod").tag("tier", "web");
    aws.group("b").tag("env", "prod");
    aws.group("c").tag("env", "dev").tag("tier", "web");
    aws.group("d").tag("env", "prod").tag("tier", "web");

    List<String> byTags = discover(AwsQueries.autoScaling(aws,
        selection(List.of(), Map.of("env", "prod", "tier", "web")))).services().stream().map(Service::name).toList();
    List<String> both = discover(AwsQueries.autoScaling(aws,
        selection(List.of("d"), Map.of("env", "prod")))).services().stream().map(Service::name).toList();

    assertEquals(List.of("a", "d"), byTags);
    assertEquals(List.of("d"), both);
  }

  @Test
  void noGroupMatchingTheTags_isAnEmptyInventoryWithAWarning() {
    aws.group("a").tag("env", "dev");

    Inventory inventory = discover(AwsQueries.autoScaling(aws, selection(List.of(), Map.of("env", "prod"))));

    assertEquals(List.of(), inventory.services());
    assertEquals(1, log.warnings().size());
  }

  @Test
  void aNamedGroupThatDoesNotExist_failsDiscovery() {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");

    DiscoveryException e = assertThrows(DiscoveryException.class, () -> discover(AwsQueries.groups(aws, "web", "api")));

    assertTrue(e.getMessage().startsWith("Auto Scaling group 'api' not found"), e.getMessage());
    assertTrue(e.getMessage().contains("--region"), e.getMessage());
  }

  @Test
  void everyPagedCall_isFollowedToTheLastPage() {
    for (int g = 1; g <= 5; g++) {
      for (int i = 1; i <= 2; i++) {
        aws.asgInstance("g" + g, "i-" + g + i, "InService", "10.0." + g + "." + i);
      }
    }
    aws.pageSize("DescribeAutoScalingGroups", 2).pageSize("DescribeInstances", 4);

    Inventory inventory = discover(AwsQueries.groups(aws, "g1", "g2", "g3", "g4", "g5"));

    assertEquals(List.of("g1", "g2", "g3", "g4", "g5"), inventory.services().stream().map(Service::name).toList());
    assertEquals(10, inventory.serverCount());
    assertEquals(List.of(1, 2, 3), pages("DescribeAutoScalingGroups"));
    assertEquals(List.of(1, 2, 3), pages("DescribeInstances"));
  }

  /**
   * The API-call floor (issue 7): ⌈groups/100⌉ DescribeAutoScalingGroups pages + ⌈instances/1000⌉
   * DescribeInstances calls, never one call per instance or per group as the scripts this replaces did (1 + N).
   */
  @ParameterizedTest(name = "{0} groups x {1} instances -> {2} + {3} calls")
  @CsvSource({
      "5, 100, 1, 1",      // 500 instances: 2 calls
      "150, 17, 2, 3",     // 2,550 instances: 5 calls
      "200, 50, 2, 10",    // the 10,000-server benchmark: 12 calls
      "1, 2500, 1, 3"})    // one big group
  void callCount_isGroupsOver100PlusInstancesOver1000(int groups, int perGroup, int groupPages, int instanceCalls) {
    for (int g = 0; g < groups; g++) {
      aws.group(String.format("g%03d", g)).tag("env", "prod");
      for (int i = 0; i < perGroup; i++) {
        int n = g * perGroup + i;
        aws.asgInstance(String.format("g%03d", g), String.format("i-%08d", n), "InService",
            "10.1." + (n / 250) + "." + (n % 250 + 1));
      }
    }
    Source source = Source.aws(AwsQueries.autoScaling(aws, selection(List.of(), Map.of("env", "prod"))), log);

    Inventory inventory = source.discover();

    int instances = groups * perGroup;
    assertEquals(instances, inventory.serverCount());
    assertEquals(ceil(groups, 100), groupPages);
    assertEquals(ceil(instances, 1000), instanceCalls);
    int expected = groupPages + instanceCalls;
    assertEquals(expected, source.apiCalls().total());
    assertEquals(Map.of("DescribeAutoScalingGroups", groupPages, "DescribeInstances", instanceCalls),
        source.apiCalls().calls());
    assertEquals(expected, aws.requests().size(), "the fake endpoint counts the same");
    assertTrue(aws.requests().stream().filter(r -> r.api().equals("DescribeInstances"))
        .allMatch(r -> r.form().keySet().stream().filter(k -> k.startsWith("InstanceId.")).count() <= 1000));
    assertTrue(log.lines().contains("debug: aws: " + expected + " API calls (DescribeAutoScalingGroups " + groupPages
        + ", DescribeInstances " + instanceCalls + ")"), log.lines().toString());
  }

  @Test
  void moreThan100GroupNames_goInBatchesOf100() {
    List<String> names = new java.util.ArrayList<>();
    for (int g = 0; g < 120; g++) {
      names.add(String.format("g%03d", g));
      aws.group(names.get(g));
    }

    Source source = Source.aws(AwsQueries.groups(aws, names.toArray(new String[0])), log);
    assertEquals(120, source.discover().services().size());

    assertEquals(Map.of("DescribeAutoScalingGroups", 2), source.apiCalls().calls());
  }

  private List<Integer> pages(String api) {
    return aws.requests().stream().filter(r -> r.api().equals(api)).map(FakeAws.Request::page).toList();
  }

  private static int ceil(int n, int d) {
    return (n + d - 1) / d;
  }
}
