package dev.haproxysd.discovery;

import dev.haproxysd.aws.AwsSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.testing.Fault;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.RecordingLog;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Every failed call or page fails the whole discovery, with one line naming API, resource and what to do. */
class AwsFailuresTest {
  private final FakeAws aws = FakeAws.start();
  private final RecordingLog log = new RecordingLog();

  @BeforeEach
  void data() {
    for (int g = 1; g <= 3; g++) {
      aws.group("g" + g);
      for (int i = 1; i <= 3; i++) {
        aws.asgInstance("g" + g, "i-" + g + i, "InService", "10.0." + g + "." + i);
      }
    }
    aws.namespace("ns1");
    aws.namespace("ns2");
    for (int s = 1; s <= 3; s++) {
      FakeAws.CloudMapService service = aws.namespace("internal").service("svc" + s);
      for (int i = 1; i <= 3; i++) {
        service.instance("svc" + s + "-" + i, "10.1." + s + "." + i, 8080);
      }
    }
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  /** Both sources at once: three groups, three Cloud Map services (one forced through ListInstances). */
  private AwsQuery everything() {
    aws.namespace("internal").service("svc3").reportedInstanceCount(5000);
    return new AwsQuery(AwsQueries.connection(aws),
        new AwsQuery.AutoScaling(List.of("g1", "g2", "g3"), Map.of(), AwsQuery.Address.PRIVATE,
            AwsQuery.Standby.MAINT),
        new AwsQuery.CloudMap(List.of("internal"), List.of(), AwsQuery.Health.HEALTHY),
        AwsQuery.TagNames.DEFAULT, 80);
  }

  private void pagesOfOne() {
    aws.pageSize("DescribeAutoScalingGroups", 1).pageSize("DescribeInstances", 3).pageSize("ListNamespaces", 1)
        .pageSize("ListServices", 1).pageSize("ListInstances", 1);
  }

  @Test
  void withoutFaults_everythingIsFound() {
    pagesOfOne();
    Inventory inventory = Source.aws(everything(), log).discover();

    assertEquals(6, inventory.services().size());
    assertEquals(18, inventory.serverCount());
  }

  @ParameterizedTest(name = "500 on page 2 of 3 of {0}")
  @ValueSource(strings = {"DescribeAutoScalingGroups", "DescribeInstances", "ListNamespaces", "ListServices",
      "ListInstances"})
  void aServerErrorOnPage2Of3_failsTheWholeDiscovery(String api) {
    pagesOfOne();
    aws.inject(Fault.on(api).page(2).serverError());
    Source source = Source.aws(everything(), log);

    DiscoveryException e = assertThrows(DiscoveryException.class, source::discover);

    assertTrue(e.getMessage().startsWith("AWS " + api + " ("), e.getMessage());
    assertTrue(e.getMessage().contains("page 2) failed: AWS server error after 3 attempts (HTTP 500 "
        + "InternalFailure"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; retry later"), e.getMessage());
    assertEquals(3, aws.requests().stream().filter(r -> r.api().equals(api) && r.page() == 2).count(),
        "STANDARD retry mode: 3 attempts");
    assertFalse(aws.requests().stream().anyMatch(r -> r.api().equals(api) && r.page() == 3),
        "nothing after the failed page");
    assertEquals(3, source.apiCalls().retries() + 1, "the count is there after a failure too");
  }

  @ParameterizedTest(name = "access denied on {0}")
  @CsvSource({
    "DescribeAutoScalingGroups, autoscaling:DescribeAutoScalingGroups, groups 'g1'",
    "DescribeInstances, ec2:DescribeInstances, 9 instances of the selected groups",
    "ListNamespaces, servicediscovery:ListNamespaces, namespaces 'internal'",
    "ListServices, servicediscovery:ListServices, namespace 'internal'",
    "DiscoverInstances, servicediscovery:DiscoverInstances, service 'svc1' in namespace 'internal'",
    "ListInstances, servicediscovery:ListInstances, service 'svc3' in namespace 'internal'",
  })
  void accessDenied_namesTheIamAction(String api, String action, String resource) {
    aws.inject(Fault.on(api).accessDenied());

    DiscoveryException e = assertThrows(DiscoveryException.class, () -> Source.aws(everything(), log).discover());

    assertTrue(e.getMessage().startsWith("AWS " + api + " (" + resource), e.getMessage());
    assertTrue(e.getMessage().contains("failed: access denied (HTTP"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; allow the IAM action " + action + " for these credentials"),
        e.getMessage());
    assertEquals(1, aws.requests(api), "access denied is not retried");
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void throttlingThenSuccess_isRetriedWithBackoff() {
    aws.inject(Fault.on("DescribeAutoScalingGroups").times(1).throttle());
    aws.inject(Fault.on("DiscoverInstances").times(1).throttle());
    Source source = Source.aws(everything(), log);

    Inventory inventory = source.discover();

    assertEquals(18, inventory.serverCount());
    assertEquals(2, aws.requests("DescribeAutoScalingGroups"));
    assertEquals(2, source.apiCalls().retries());
    assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("debug: aws: ") && l.endsWith(", 2 retries")),
        log.lines().toString());
  }

  @Test
  void throttlingThatDoesNotStop_failsNamingTheThrottle() {
    aws.inject(Fault.on("DescribeInstances").throttle());

    DiscoveryException e = assertThrows(DiscoveryException.class, () -> Source.aws(everything(), log).discover());

    assertTrue(e.getMessage().contains("failed: throttled after 3 attempts (HTTP 503 RequestLimitExceeded"),
        e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"DescribeInstances", "DiscoverInstances"})
  void aHangingEndpoint_timesOut(String api) {
    aws.inject(Fault.on(api).hang());
    AwsQuery quick = AwsQueries.withConnection(everything(), AwsSettings.builder()
        .region("us-east-1").endpoint(aws.endpoint())
        .callTimeout(Duration.ofMillis(1500)).attemptTimeout(Duration.ofMillis(300)).build());

    DiscoveryException e = assertThrows(DiscoveryException.class, () -> Source.aws(quick, log).discover());

    assertTrue(e.getMessage().startsWith("AWS " + api), e.getMessage());
    assertTrue(e.getMessage().contains("failed: timed out"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"DescribeAutoScalingGroups", "DescribeInstances", "ListServices", "DiscoverInstances"})
  void aMalformedReply_failsTheDiscovery(String api) {
    aws.inject(Fault.on(api).malformed());

    DiscoveryException e = assertThrows(DiscoveryException.class, () -> Source.aws(everything(), log).discover());

    assertTrue(e.getMessage().startsWith("AWS " + api), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aRefusedConnection_saysToCheckTheEndpoint() {
    URI closed = aws.endpoint();
    aws.close();
    AwsQuery query = AwsQueries.withConnection(AwsQueries.groups(aws, "g1"),
        AwsSettings.builder().region("us-east-1").endpoint(closed)
            .callTimeout(Duration.ofSeconds(5)).attemptTimeout(Duration.ofSeconds(1)).build());

    DiscoveryException e = assertThrows(DiscoveryException.class, () -> Source.aws(query, log).discover());

    assertTrue(e.getMessage().contains("failed: cannot reach AWS"), e.getMessage());
    assertTrue(e.getMessage().contains("check --endpoint-url, --region and the network"), e.getMessage());
  }

  @Test
  void aProfileWithoutCredentials_saysWhichCredentialsAreMissing() {
    AwsQuery query = AwsQueries.withConnection(AwsQueries.groups(aws, "g1"), AwsSettings.builder()
        .region("us-east-1").profile("no-such-profile").endpoint(aws.endpoint())
        .callTimeout(Duration.ofSeconds(5)).attemptTimeout(Duration.ofSeconds(1)).build());

    DiscoveryException e = assertThrows(DiscoveryException.class, () -> Source.aws(query, log).discover());

    assertTrue(e.getMessage().contains("no usable AWS credentials"), e.getMessage());
    assertEquals(0, aws.requests().size(), "nothing unsigned is sent");
  }
}
