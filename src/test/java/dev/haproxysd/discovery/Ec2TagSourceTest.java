package dev.haproxysd.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.testing.Fault;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.RecordingLog;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Ec2TagSourceTest {
  private static final String NAME = "HAProxy:Service:Name";

  @AutoClose private final FakeAws aws = FakeAws.start();
  private final RecordingLog log = new RecordingLog();

  private Inventory discover(AwsQuery query) {
    return Source.aws(query, log).discover();
  }

  private FakeAws.Ec2Instance instance(String id, String ip, String service) {
    FakeAws.Ec2Instance i = aws.instance(id).privateIp(ip).tag("env", "prod");
    return service == null ? i : i.tag(NAME, service);
  }

  private static Map<String, List<String>> endpoints(Inventory inventory) {
    return inventory.services().stream().collect(Collectors.toMap(Service::name,
        s -> s.servers().stream().map(v -> v.id() + " " + v.endpoint() + " " + v.state().id()).toList()));
  }

  private List<FakeAws.Request> describeInstances() {
    return aws.requests().stream().filter(r -> r.api().equals("DescribeInstances")).toList();
  }

  private static AwsQuery.Ec2 selection(List<String> tags, List<String> filters, AwsQuery.Address address) {
    return new AwsQuery.Ec2(tags.stream().map(AwsQuery.Ec2Tag::parse).toList(),
        filters.stream().map(AwsQuery.Ec2Filter::parse).toList(), address);
  }

  @Test
  void runningTaggedInstances_becomeOneServicePerNameTagValue_inOneFilteredCall() {
    instance("i-0001", "10.0.0.1", "web").zone("us-east-1b");
    instance("i-0002", "10.0.0.2", "web");
    instance("i-0003", "10.0.0.3", "api");
    instance("i-0004", "10.0.0.4", "web").state("stopped");
    instance("i-0005", "10.0.0.5", "web").tag("env", "dev");
    instance("i-0006", "10.0.0.6", null);

    Inventory inventory = discover(AwsQueries.ec2Tags(aws, "env=prod"));

    assertEquals(Map.of("api", List.of("i-0003 10.0.0.3:80 ready"),
        "web", List.of("i-0001 10.0.0.1:80 ready", "i-0002 10.0.0.2:80 ready")), endpoints(inventory));
    Service web = inventory.services().get(1);
    assertEquals("ec2", web.source());
    assertEquals("us-east-1b", web.servers().get(0).zone());
    assertEquals(List.of("warning: EC2 instance 'i-0006' skipped: it has no tag HAProxy:Service:Name naming its "
        + "service"), log.warnings(), "stopped and untagged-by-env instances are filtered out by EC2, silently");
    List<FakeAws.Request> calls = describeInstances();
    assertEquals(1, calls.size());
    Map<String, String> form = calls.get(0).form();
    assertEquals("instance-state-name", form.get("Filter.1.Name"));
    assertEquals("running", form.get("Filter.1.Value.1"));
    assertEquals("tag:env", form.get("Filter.2.Name"));
    assertEquals("prod", form.get("Filter.2.Value.1"));
    assertEquals("1000", form.get("MaxResults"));
  }

  @Test
  void everyTagMustMatch_aKeyAloneMatchesAnyValue_andValuesMayUseWildcards() {
    instance("i-0001", "10.0.0.1", "web").tag("team", "");
    instance("i-0002", "10.0.0.2", "web").tag("team", "payments");
    instance("i-0003", "10.0.0.3", "web");
    instance("i-0004", "10.0.0.4", "web").tag("team", "x").tag("env", "prod-eu");
    instance("i-0005", "10.0.0.5", "web").tag("team", "x").tag("env", "preprod");
    instance("i-0006", "10.0.0.6", null).tag("team", "x");

    Inventory inventory = discover(AwsQueries.ec2Tags(aws, NAME, "team", "env=prod*"));

    assertEquals(Map.of("web", List.of("i-0001 10.0.0.1:80 ready", "i-0002 10.0.0.2:80 ready",
        "i-0004 10.0.0.4:80 ready")), endpoints(inventory));
    assertEquals(List.of(), log.warnings(), "the name tag asked as a filter: no untagged instance comes back");
    Map<String, String> form = describeInstances().get(0).form();
    assertEquals(List.of("tag-key=HAProxy:Service:Name", "tag-key=team", "tag:env=prod*"),
        List.of(form.get("Filter.2.Name") + "=" + form.get("Filter.2.Value.1"),
            form.get("Filter.3.Name") + "=" + form.get("Filter.3.Value.1"),
            form.get("Filter.4.Name") + "=" + form.get("Filter.4.Value.1")));
  }

  @Test
  void filters_arePassedThrough_anyOfTheirValuesMatching() {
    instance("i-0001", "10.0.0.1", "web").vpc("vpc-1").type("t3.small");
    instance("i-0002", "10.0.0.2", "web").vpc("vpc-1").type("t3.medium");
    instance("i-0003", "10.0.0.3", "web").vpc("vpc-2").type("t3.small");
    instance("i-0004", "10.0.0.4", "web").vpc("vpc-1").type("m5.large");

    Inventory inventory = discover(AwsQueries.ec2(aws, selection(List.of(),
        List.of("vpc-id=vpc-1", "instance-type=t3.small,t3.medium"), AwsQuery.Address.PRIVATE)));

    assertEquals(Map.of("web", List.of("i-0001 10.0.0.1:80 ready", "i-0002 10.0.0.2:80 ready")),
        endpoints(inventory));
    Map<String, String> form = describeInstances().get(0).form();
    assertEquals("instance-type", form.get("Filter.3.Name"));
    assertEquals(List.of("t3.small", "t3.medium"), List.of(form.get("Filter.3.Value.1"), form.get("Filter.3.Value.2")));
  }

  @Test
  void port_comesFromTheInstancePortTag_thenTheServicePortTag_thenTheDefault_andBadOnesSkipOneInstance() {
    instance("i-0001", "10.0.0.1", "web");
    instance("i-0002", "10.0.0.2", "web").tag("HAProxy:Service:Port", "8080");
    instance("i-0003", "10.0.0.3", "web").tag("HAProxy:Service:Port", "8080").tag("HAProxy:Instance:Port", "9090");
    instance("i-0004", "10.0.0.4", "web").tag("HAProxy:Instance:Port", "9090\n    bind :22");
    instance("i-0005", "10.0.0.5", "web").tag("HAProxy:Service:Port", "70000");
    instance("i-0006", "10.0.0.6", "web").tag("HAProxy:Service:Port", "8080").tag("HAProxy:Instance:Port", "");

    Inventory inventory = discover(AwsQueries.ec2Tags(aws, "env=prod"));

    assertEquals(Map.of("web", List.of("i-0001 10.0.0.1:80 ready", "i-0002 10.0.0.2:8080 ready",
        "i-0003 10.0.0.3:9090 ready")), endpoints(inventory));
    List<String> warnings = log.warnings();
    assertEquals(3, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("warning: service 'web': instance 'i-0004' skipped: tag "
        + "HAProxy:Instance:Port: '9090\\n    bind :22' is not a port number"), warnings.get(0));
    assertTrue(warnings.get(1).contains("'i-0005' skipped: tag HAProxy:Service:Port"), warnings.get(1));
    assertTrue(warnings.get(2).contains("'i-0006' skipped: tag HAProxy:Instance:Port"), warnings.get(2));
  }

  @Test
  void weightStateAndAddressTags_workAsForAutoScalingGroups() {
    instance("i-0001", "10.0.0.1", "web").tag("srv_weight", "0").tag("ip", "10.9.0.1");
    instance("i-0002", "10.0.0.2", "web").tag("HAProxy:Instance:State", "maint").tag("ip", "10.9.0.2");
    instance("i-0003", "10.0.0.3", "web").tag("srv_weight", "25600").tag("ip", "10.9.0.3");
    instance("i-0004", "10.0.0.4", "web");

    Inventory inventory = discover(AwsQueries.ec2(aws, selection(List.of("env=prod"), List.of(),
        AwsQuery.Address.parse("tag:ip"))));

    assertEquals(Map.of("web", List.of("i-0001 10.9.0.1:80 drain", "i-0002 10.9.0.2:80 maint",
        "i-0003 10.9.0.3:80 ready")), endpoints(inventory));
    assertEquals(List.of(0, 100, 100), inventory.services().get(0).servers().stream().map(Server::weight).toList());
    assertEquals(List.of("warning: service 'web': instance 'i-0004' skipped: it has no address tag ip"),
        log.warnings());
  }

  @Test
  void publicAddresses_whenAsked() {
    instance("i-0001", "10.0.0.1", "web").publicIp("203.0.113.1");

    Inventory inventory = discover(AwsQueries.ec2(aws, selection(List.of("env=prod"), List.of(),
        AwsQuery.Address.PUBLIC)));

    assertEquals(Map.of("web", List.of("i-0001 203.0.113.1:80 ready")), endpoints(inventory));
  }

  @Test
  void hostileTagValues_neverBecomeNamesOrPorts_andStayRawForTemplates() {
    String hostile = "x\n    http-request return status 200 content-type text/plain string \"${SECRET}\"";
    instance("i-0001", "10.0.0.1", "web").tag("Name", hostile);
    instance("i-0002", "10.0.0.2", "web\n    server evil 6.6.6.6:80");
    instance("i-0003", "10.0.0.3", "web").tag("srv_weight", "100 backup");
    instance("i-0004", "10.0.0.4", "web").tag("HAProxy:Instance:State", "ready\n    server evil 6.6.6.6:80");
    instance("i-0005", "10.0.0.5", "web bad");

    Inventory inventory = discover(AwsQueries.ec2Tags(aws, "env=prod"));

    assertEquals(Map.of("web", List.of("i-0001 10.0.0.1:80 ready")), endpoints(inventory));
    assertEquals(hostile, inventory.services().get(0).servers().get(0).tags().get("Name"));
    List<String> warnings = log.warnings();
    assertEquals(4, warnings.size(), warnings.toString());
    assertTrue(warnings.stream().noneMatch(w -> w.contains("\n")), "warnings stay one line");
    assertTrue(warnings.get(0).startsWith("warning: EC2 instance 'i-0002' skipped: tag HAProxy:Service:Name: "
        + "unsafe value"), warnings.get(0));
    assertTrue(warnings.get(3).startsWith("warning: EC2 instance 'i-0005' skipped:"), warnings.get(3));
  }

  @Test
  void serviceTags_areTheTagsEveryServerSharesWithTheSameValue() {
    instance("i-0001", "10.0.0.1", "web").tag("haproxy-sd:host", "web.example.com").tag("Name", "web-1");
    instance("i-0002", "10.0.0.2", "web").tag("haproxy-sd:host", "web.example.com").tag("Name", "web-2");
    instance("i-0003", "10.0.0.3", "api").tag("haproxy-sd:host", "api.example.com");
    instance("i-0004", "10.0.0.4", "api");

    Inventory inventory = discover(AwsQueries.ec2Tags(aws, "env=prod"));

    assertEquals(Map.of("HAProxy:Service:Name", "api", "env", "prod"), inventory.services().get(0).tags());
    assertEquals(Map.of("HAProxy:Service:Name", "web", "env", "prod", "haproxy-sd:host", "web.example.com"),
        inventory.services().get(1).tags());
  }

  @Test
  void nothingMatching_isAnEmptyInventoryWithOneWarning() {
    instance("i-0001", "10.0.0.1", "web").state("stopped");

    Inventory inventory = discover(AwsQueries.ec2Tags(aws, "env=prod", NAME));

    assertEquals(List.of(), inventory.services());
    assertEquals(List.of("warning: no running EC2 instance matches running instances with tags 'env=prod', "
        + "'HAProxy:Service:Name'"), log.warnings());
  }

  @Test
  void twoPages_areBothRead() {
    for (int i = 1; i <= 5; i++) {
      instance("i-000" + i, "10.0.0." + i, i % 2 == 0 ? "api" : "web");
    }
    aws.pageSize("DescribeInstances", 3);

    Inventory inventory = discover(AwsQueries.ec2Tags(aws, "env=prod"));

    assertEquals(5, inventory.serverCount());
    assertEquals(List.of(1, 2), describeInstances().stream().map(FakeAws.Request::page).toList());
  }

  @Test
  void aFailedSecondPage_failsTheWholeDiscovery() {
    for (int i = 1; i <= 5; i++) {
      instance("i-000" + i, "10.0.0." + i, "web");
    }
    aws.pageSize("DescribeInstances", 3).inject(Fault.on("DescribeInstances").page(2).serverError());

    DiscoveryException e = assertThrows(DiscoveryException.class,
        () -> discover(AwsQueries.ec2Tags(aws, "env=prod")));

    assertTrue(e.getMessage().startsWith("AWS DescribeInstances (running instances with tag 'env=prod', page 2) "
        + "failed: AWS server error"), e.getMessage());
  }

  @Test
  void accessDenied_namesTheIamAction() {
    instance("i-0001", "10.0.0.1", "web");
    aws.inject(Fault.on("DescribeInstances").accessDenied());

    DiscoveryException e = assertThrows(DiscoveryException.class,
        () -> discover(AwsQueries.ec2Tags(aws, "env=prod")));

    assertTrue(e.getMessage().contains("ec2:DescribeInstances"), e.getMessage());
  }

  /** The API-call floor: ⌈instances/1000⌉ DescribeInstances calls, MaxResults 1000, never one call per service. */
  @ParameterizedTest(name = "{0} instances in {1} services -> {2} calls")
  @CsvSource({"1, 1, 1", "1000, 40, 1", "1001, 40, 2", "2500, 100, 3", "10000, 200, 10"})
  void callCount_isInstancesOver1000(int instances, int services, int calls) {
    for (int n = 0; n < instances; n++) {
      instance(String.format("i-%08d", n), "10.1." + (n / 250) + "." + (n % 250 + 1),
          String.format("svc%03d", n % services));
    }
    Source source = Source.aws(AwsQueries.ec2Tags(aws, "env=prod", NAME), log);

    Inventory inventory = source.discover();

    assertEquals(instances, inventory.serverCount());
    assertEquals(services, inventory.services().size());
    assertEquals(Map.of("DescribeInstances", calls), source.apiCalls().calls());
    assertEquals(calls, aws.requests().size(), "the fake endpoint counts the same");
    assertTrue(log.lines().contains("debug: aws: " + calls + (calls == 1 ? " API call" : " API calls")
        + " (DescribeInstances " + calls + ")"), log.lines().toString());
  }

  @Test
  void besideAutoScalingGroups_anInstanceReachedTwiceIsOneServerPerService_asItsGroupSeesIt() {
    // Group tags propagate at launch: the group's instances carry the name tag the EC2 selection reads.
    aws.group("web").tag(NAME, "web");
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1").tag(NAME, "web").tag("env", "prod");
    aws.asgInstance("web", "i-0002", "Terminating:Wait", "10.0.0.2").tag(NAME, "web").tag("env", "prod");
    aws.asgInstance("legacy", "i-0003", "InService", "10.0.0.3").tag(NAME, "api").tag("env", "prod");
    instance("i-0004", "10.0.0.4", "web");
    instance("i-0005", "10.0.0.5", "api");
    AwsQuery query = new AwsQuery(AwsQueries.connection(aws),
        new AwsQuery.AutoScaling(List.of("web", "legacy"), Map.of(), AwsQuery.Address.PRIVATE,
            AwsQuery.Standby.MAINT),
        selection(List.of("env=prod"), List.of(), AwsQuery.Address.PRIVATE), AwsQuery.CloudMap.NONE,
        AwsQuery.TagNames.DEFAULT, 80);
    Source source = Source.aws(query, log);

    Inventory inventory = source.discover();

    assertEquals(Map.of(
        "api", List.of("i-0003 10.0.0.3:80 ready", "i-0005 10.0.0.5:80 ready"),
        "legacy", List.of("i-0003 10.0.0.3:80 ready"),
        "web", List.of("i-0001 10.0.0.1:80 ready", "i-0002 10.0.0.2:80 drain", "i-0004 10.0.0.4:80 ready")),
        endpoints(inventory));
    assertEquals(List.of("asg", "asg", "ec2"), inventory.services().stream().map(Service::source).sorted().toList());
    assertEquals(ServerState.DRAIN, inventory.services().get(2).servers().get(1).state(),
        "the group's lifecycle state wins over EC2's running");
    assertEquals(Map.of("DescribeAutoScalingGroups", 1, "DescribeInstances", 2), source.apiCalls().calls());
  }
}
