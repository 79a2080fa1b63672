package dev.haproxysd.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.RecordingLog;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CloudMapSourceTest {
  @AutoClose private final FakeAws aws = FakeAws.start();
  private final RecordingLog log = new RecordingLog();

  private Inventory discover(AwsQuery query) {
    return Source.aws(query, log).discover();
  }

  private Inventory discover(AwsQuery.CloudMap selection) {
    return discover(AwsQueries.cloudMap(aws, selection));
  }

  private static List<String> ids(Service service) {
    return service.servers().stream().map(Server::id).collect(Collectors.toList());
  }

  private List<Integer> pages(String api) {
    return aws.requests().stream().filter(r -> r.api().equals(api)).map(FakeAws.Request::page).toList();
  }

  @Test
  void eachServiceOfTheNamespace_becomesAService_withAddressPortAndAttributes() {
    FakeAws.Namespace internal = aws.namespace("internal");
    internal.service("api").instance("api-1", "10.0.0.1", 8080).attribute("host", "api.example.com")
        .attribute("AVAILABILITY_ZONE", "us-east-1b");
    internal.service("api").instance("api-2", "10.0.0.2", null);
    internal.service("web").instance("web-1", "10.0.1.1", 80);
    aws.namespace("other").service("elsewhere").instance("x-1", "10.9.0.1", 80);

    Inventory inventory = discover(AwsQueries.namespaces(aws, "internal"));

    assertEquals(List.of("api", "web"), inventory.services().stream().map(Service::name).toList());
    Service api = inventory.services().get(0);
    assertEquals("cloudmap", api.source());
    assertEquals(Map.of("cloudmap:namespace", "internal"), api.tags());
    Server first = api.servers().get(0);
    assertEquals("10.0.0.1:8080", first.endpoint());
    assertEquals("api.example.com", first.tags().get("host"));
    assertEquals("us-east-1b", first.zone());
    assertEquals(ServerState.READY, first.state());
    assertEquals("10.0.0.2:80", api.servers().get(1).endpoint(), "no AWS_INSTANCE_PORT: --port");
    FakeAws.Request discover = aws.requests().stream().filter(r -> r.api().equals("DiscoverInstances"))
        .findFirst().orElseThrow();
    assertEquals("HEALTHY", discover.json().get("HealthStatus").getAsString(), "health status is explicit");
    assertEquals(1000, discover.json().get("MaxResults").getAsInt());
    assertEquals("servicediscovery", discover.signingService());
  }

  @ParameterizedTest(name = "--health {0} with healthy={1} -> {2}")
  @CsvSource({
    "healthy, true, 'a'",
    "healthy, false, ''",
    "healthy-or-else-all, true, 'a'",
    "healthy-or-else-all, false, 'a b c'",
    "all, true, 'a b c'",
  })
  void health_selectsInstancesByTheirHealthStatus(String health, boolean oneHealthy, String expected) {
    FakeAws.CloudMapService api = aws.namespace("internal").service("api");
    api.instance("a", "10.0.0.1", 80).health(oneHealthy ? "HEALTHY" : "UNHEALTHY");
    api.instance("b", "10.0.0.2", 80).health("UNHEALTHY");
    api.instance("c", "10.0.0.3", 80).health("UNKNOWN");

    Service service = discover(new AwsQuery.CloudMap(List.of("internal"), List.of(), AwsQuery.Health.parse(health)))
        .services().get(0);

    assertEquals(expected.isEmpty() ? List.of() : List.of(expected.split(" ")), ids(service));
  }

  @Test
  void serviceFilter_keepsOnlyTheNamedServices_andAMissingOneFails() {
    aws.namespace("internal").service("api").instance("a", "10.0.0.1", 80);
    aws.namespace("internal").service("web").instance("w", "10.0.0.2", 80);

    Inventory only = discover(new AwsQuery.CloudMap(List.of("internal"), List.of("web"), AwsQuery.Health.HEALTHY));
    assertEquals(List.of("web"), only.services().stream().map(Service::name).toList());
    assertEquals(1, aws.requests("DiscoverInstances"), "instances only of the services kept");

    DiscoveryException e = assertThrows(DiscoveryException.class,
        () -> discover(new AwsQuery.CloudMap(List.of("internal"), List.of("web", "db"), AwsQuery.Health.HEALTHY)));
    assertTrue(e.getMessage().startsWith("Cloud Map service 'db' not found in namespace 'internal'"), e.getMessage());
  }

  @Test
  void namespace_byNameOrId_andAnUnknownOrAmbiguousOneFails() {
    FakeAws.Namespace internal = aws.namespace("internal");
    internal.service("api").instance("a", "10.0.0.1", 80);

    assertEquals(1, discover(AwsQueries.namespaces(aws, internal.id())).services().size());

    DiscoveryException unknown = assertThrows(DiscoveryException.class,
        () -> discover(AwsQueries.namespaces(aws, "internl")));
    assertTrue(unknown.getMessage().startsWith("Cloud Map namespace 'internl' not found"), unknown.getMessage());

    aws.addNamespace("internal", "internal-2");
    DiscoveryException ambiguous = assertThrows(DiscoveryException.class,
        () -> discover(AwsQueries.namespaces(aws, "internal")));
    assertTrue(ambiguous.getMessage().contains("is ambiguous"), ambiguous.getMessage());
  }

  @Test
  void theSameServiceNameInTwoNamespaces_failsWithAHint() {
    aws.namespace("a").service("api").instance("a1", "10.0.0.1", 80);
    aws.namespace("b").service("api").instance("b1", "10.0.0.2", 80);

    DiscoveryException e = assertThrows(DiscoveryException.class, () -> discover(AwsQueries.namespaces(aws, "a", "b")));

    assertTrue(e.getMessage().contains("exists in the namespaces 'a' and 'b'"), e.getMessage());
  }

  @Test
  void listNamespacesAndListServices_areFollowedToTheLastPage() {
    for (int n = 1; n <= 3; n++) {
      aws.namespace("ns" + n);
    }
    for (int s = 1; s <= 5; s++) {
      aws.namespace("ns3").service("svc" + s).instance("i" + s, "10.0.0." + s, 80);
    }
    aws.pageSize("ListNamespaces", 1).pageSize("ListServices", 2);

    Inventory inventory = discover(AwsQueries.namespaces(aws, "ns3"));

    assertEquals(5, inventory.services().size());
    assertEquals(List.of(1, 2, 3), pages("ListNamespaces"));
    assertEquals(List.of(1, 2, 3), pages("ListServices"));
    assertEquals(5, aws.requests("DiscoverInstances"));
  }

  /**
   * The API-call floor (issue 7): one ListNamespaces listing for all selected namespaces, ⌈services/100⌉
   * ListServices pages per namespace, then one DiscoverInstances per service, whatever its instance count (< 1000).
   */
  @ParameterizedTest(name = "{0} namespaces x {1} services x {2} instances")
  @CsvSource({
      "1, 2, 50",      // 100 servers: 1 + 1 + 2 calls
      "1, 200, 50",    // the 10,000-server benchmark: 1 + 2 + 200 calls
      "3, 40, 10"})    // several namespaces: still one ListNamespaces
  void callCount_isOneDiscoverInstancesPerService_plusTheNamespaceAndServiceListings(
      int namespaces, int servicesPerNamespace, int perService) {
    String[] names = new String[namespaces];
    int n = 0;
    for (int ns = 0; ns < namespaces; ns++) {
      names[ns] = "ns" + ns;
      for (int s = 0; s < servicesPerNamespace; s++) {
        FakeAws.CloudMapService service = aws.namespace(names[ns]).service(String.format("svc%d-%03d", ns, s));
        for (int i = 0; i < perService; i++, n++) {
          service.instance(String.format("i-%06d", n), "10.3." + (n / 250) + "." + (n % 250 + 1), 8080);
        }
      }
    }
    Source source = Source.aws(AwsQueries.namespaces(aws, names), log);

    Inventory inventory = source.discover();

    int services = namespaces * servicesPerNamespace;
    assertEquals(services * perService, inventory.serverCount());
    Map<String, Integer> expected = Map.of("ListNamespaces", 1,
        "ListServices", namespaces * ceil(servicesPerNamespace, 100), "DiscoverInstances", services);
    assertEquals(expected, source.apiCalls().calls());
    assertEquals(source.apiCalls().total(), aws.requests().size(), "the fake endpoint counts the same");
    assertEquals(0, aws.requests("ListInstances"));
  }

  private static int ceil(int n, int d) {
    return (n + d - 1) / d;
  }

  @Test
  void aServiceWithMoreInstancesThanDiscoverInstancesReturns_isListedWithListInstances() {
    FakeAws.CloudMapService big = aws.namespace("internal").service("big");
    for (int i = 0; i < 1203; i++) {
      big.instance(String.format("i-%05d", i), "10.2." + (i / 250) + "." + (i % 250 + 1), 8080);
    }
    big.instance("i-00000", "10.2.0.1", 8080).health("UNHEALTHY");

    Source source = Source.aws(AwsQueries.namespaces(aws, "internal"), log);
    Inventory inventory = source.discover();

    assertEquals(1203, inventory.serverCount(), "all of them, the unhealthy one too: ListInstances has no health");
    assertEquals(0, aws.requests("DiscoverInstances"), "InstanceCount already says DiscoverInstances cannot do");
    assertEquals(13, aws.requests("ListInstances"));
    assertEquals(Map.of("ListInstances", 13, "ListNamespaces", 1, "ListServices", 1), source.apiCalls().calls());
    assertEquals(1, log.warnings().size());
    assertTrue(log.warnings().get(0).contains("may hold more than 1000 instances")
        && log.warnings().get(0).contains("--health healthy is not applied"), log.warnings().get(0));
  }

  @Test
  void aFullDiscoverInstancesAnswer_despiteAStaleInstanceCount_fallsBackToListInstances() {
    FakeAws.CloudMapService big = aws.namespace("internal").service("big").reportedInstanceCount(12);
    for (int i = 0; i < 1001; i++) {
      big.instance(String.format("i-%05d", i), "10.2." + (i / 250) + "." + (i % 250 + 1), 8080);
    }

    Inventory inventory = discover(new AwsQuery.CloudMap(List.of("internal"), List.of(), AwsQuery.Health.ALL));

    assertEquals(1001, inventory.serverCount());
    assertEquals(1, aws.requests("DiscoverInstances"));
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11), pages("ListInstances"), "100 a page");
    assertEquals(List.of(), log.warnings(), "with --health all nothing is lost: no warning");
  }

  @Test
  void weightAndStateAttributes_likeTags() {
    FakeAws.CloudMapService api = aws.namespace("internal").service("api");
    api.instance("a", "10.0.0.1", 80).attribute("srv_weight", "0");
    api.instance("b", "10.0.0.2", 80).attribute("srv_weight", "1024");
    api.instance("c", "10.0.0.3", 80).attribute("HAProxy:Instance:State", "maint");

    List<Server> servers = discover(AwsQueries.namespaces(aws, "internal")).services().get(0).servers();

    assertEquals(List.of("drain", "ready", "maint"), servers.stream().map(s -> s.state().id()).toList());
    assertEquals(List.of(0, 4, 100), servers.stream().map(Server::weight).toList());
  }

  @Test
  void instancesWithoutAUsableAddressPortOrId_areSkippedWithAWarning() {
    FakeAws.CloudMapService api = aws.namespace("internal").service("api");
    api.instance("ok", "10.0.0.1", 80);
    api.instance("cname-only", null, 80).attribute("AWS_INSTANCE_CNAME", "api.example.com");
    api.instance("ipv6-only", null, 80).attribute("AWS_INSTANCE_IPV6", "2001:db8::1");
    api.instance("bad-port", "10.0.0.4", null).attribute("AWS_INSTANCE_PORT", "80\n  server x");
    api.instance("task/abc@1", "10.0.0.5", 80);
    api.instance("bad-ip", "10.0.0.256", 80);

    Service service = discover(AwsQueries.namespaces(aws, "internal")).services().get(0);

    assertEquals(List.of("ok"), ids(service));
    assertEquals(5, log.warnings().size(), log.lines().toString());
    assertTrue(log.warnings().stream().anyMatch(w -> w.contains("'cname-only' skipped: it has no attribute "
        + "AWS_INSTANCE_IPV4")), log.warnings().toString());
  }

  @Test
  void hostileAttributes_areKeptRaw_theServerStillServed() {
    String hostile = "api.example.com\n    http-request redirect location https://evil.example";
    aws.namespace("internal").service("api").instance("a", "10.0.0.1", 80).attribute("host", hostile);

    Server server = discover(AwsQueries.namespaces(aws, "internal")).services().get(0).servers().get(0);

    assertEquals(hostile, server.tags().get("host"));
  }
}
