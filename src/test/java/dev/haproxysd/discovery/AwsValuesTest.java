package dev.haproxysd.discovery;

import dev.haproxysd.aws.ApiCalls;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.haproxysd.model.ServerState;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AwsValuesTest {
  @Test
  void apiCalls_readLikeTheLogLine() {
    ApiCalls calls = new ApiCalls(new TreeMap<>(Map.of("DescribeInstances", 1, "DescribeAutoScalingGroups", 1)), 2);

    assertEquals("2 API calls (DescribeAutoScalingGroups 1, DescribeInstances 1)", calls.toString());
    assertEquals("0 API calls", ApiCalls.NONE.toString());
    ApiCalls more = calls.plus(new ApiCalls(new TreeMap<>(Map.of("DescribeInstances", 2)), 4));
    assertEquals("4 API calls (DescribeAutoScalingGroups 1, DescribeInstances 3), 2 retries", more.toString());
    assertEquals(2, more.retries());
  }

  @Test
  void address_parsesTheThreeForms() {
    assertEquals(AwsQuery.Address.PRIVATE, AwsQuery.Address.parse("private"));
    assertEquals(AwsQuery.Address.PUBLIC, AwsQuery.Address.parse("public"));
    assertEquals("tag:ip_address", AwsQuery.Address.parse("tag:ip_address").toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "tag:", "elastic", "Private"})
  void address_refusesAnythingElse(String text) {
    assertThrows(IllegalArgumentException.class, () -> AwsQuery.Address.parse(text));
  }

  @Test
  void health_parsesTheOptionForms() {
    assertEquals(AwsQuery.Health.HEALTHY_OR_ELSE_ALL, AwsQuery.Health.parse("healthy-or-else-all"));
    assertEquals("HEALTHY_OR_ELSE_ALL", AwsQuery.Health.HEALTHY_OR_ELSE_ALL.apiValue);
    assertThrows(IllegalArgumentException.class, () -> AwsQuery.Health.parse("HEALTHY"));
  }

  @Test
  void worse_prefersTheLessAvailableState() {
    assertEquals(ServerState.DRAIN, ServerMapping.worse(ServerState.READY, ServerState.DRAIN));
    assertEquals(ServerState.MAINT, ServerMapping.worse(ServerState.MAINT, ServerState.DRAIN));
    assertEquals(ServerState.DRAIN, ServerMapping.worse(ServerState.DRAIN, ServerState.READY));
  }
}
