package dev.haproxysd.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.aws.AwsPair;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.ScalingGroup;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.io.StringReader;
import java.io.StringWriter;
import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PairMergeTest {
  private static final AwsPair EAST = new AwsPair(null, "us-east-1");
  private static final AwsPair WEST = new AwsPair(null, "eu-west-1");
  private static final AwsPair PROD_EAST = new AwsPair("arn:aws:iam::111122223333:role/reader", "us-east-1");

  private static Server server(String id, String ip) throws Exception {
    return Server.of(id, InetAddress.getByName(ip), 80);
  }

  private static Inventory one(Service service) {
    return new Inventory(List.of(service));
  }

  private static Inventory merge(AwsPair a, Inventory ia, AwsPair b, Inventory ib) {
    Map<AwsPair, Inventory> byPair = new LinkedHashMap<>();
    byPair.put(a, ia);
    byPair.put(b, ib);
    return PairMerge.merge(byPair);
  }

  @Test
  void sameServiceName_oneServiceWithEveryPairsServers_eachCarryingItsRegionAndAccount() throws Exception {
    Inventory merged = merge(
        PROD_EAST, one(new Service("web", "asg", List.of(server("i-1", "10.0.0.1")), Map.of("env", "prod"))),
        WEST, one(new Service("web", "asg", List.of(server("i-2", "10.1.0.1")), Map.of("env", "eu", "eu", "1"))));

    Service web = merged.services().get(0);
    assertEquals(1, merged.services().size());
    assertEquals(List.of("i-1 us-east-1 111122223333", "i-2 eu-west-1 "),
        web.servers().stream().map(s -> s.id() + " " + s.region() + " " + s.account()).toList());
    assertEquals(Map.of("env", "prod", "eu", "1"), web.tags(), "union; the first pair wins a disagreement");
  }

  @Test
  void anIdInTwoPairs_isQualifiedByRegion_inBoth() throws Exception {
    Inventory merged = merge(
        EAST, one(new Service("api", "cloudmap", List.of(server("api-1", "10.0.0.1"), server("api-2", "10.0.0.2")))),
        WEST, one(new Service("api", "cloudmap", List.of(server("api-1", "10.1.0.1")))));

    assertEquals(List.of("api-1.eu-west-1", "api-1.us-east-1", "api-2"),
        merged.services().get(0).servers().stream().map(Server::id).toList());
  }

  @Test
  void sameNameFromDifferentKindsOfSource_failsNamingBothPairs() throws Exception {
    DiscoveryException e = assertThrows(DiscoveryException.class, () -> merge(
        EAST, one(new Service("web", "asg", List.of(server("i-1", "10.0.0.1")))),
        WEST, one(new Service("web", "cloudmap", List.of(server("web-1", "10.1.0.1"))))));

    assertEquals("service 'web' comes from asg in us-east-1 but from cloudmap in eu-west-1; rename one "
        + "(--name-tag) or select one of them", e.getMessage());
  }

  @Test
  void aGroupInOnePair_andEc2InstancesByTagInAnother_areOneAsgService() throws Exception {
    Inventory merged = merge(
        EAST, one(new Service("web", "ec2", List.of(server("i-1", "10.0.0.1")), Map.of("tier", "front"))),
        WEST, one(new Service("web", "asg", List.of(server("i-2", "10.1.0.1")), Map.of("tier", "edge"))));

    Service web = merged.services().get(0);
    assertEquals(1, merged.services().size());
    assertEquals("asg", web.source(), "as ServiceUnion prefers the group within a pair");
    assertEquals(List.of("i-1 us-east-1", "i-2 eu-west-1"),
        web.servers().stream().map(s -> s.id() + " " + s.region()).toList());
    assertEquals(Map.of("tier", "front"), web.tags(), "the first pair wins a disagreement, whatever its kind");
  }

  @Test
  void aServiceSpanningPairs_keepsOneGroupEntryPerAccountRegionAndGroup() throws Exception {
    ScalingGroup east = new ScalingGroup("web-asg", "us-east-1", "111122223333", 1, Map.of("i-1", "InService"));
    ScalingGroup west = new ScalingGroup("web-asg", "eu-west-1", "", 1, Map.of("i-2", "InService"));
    ScalingGroup api = new ScalingGroup("api-west", "eu-west-1", "", 1, Map.of("i-3", "InService"));
    Inventory merged = merge(
        PROD_EAST, one(new Service("web", "asg", List.of(server("i-1", "10.0.0.1")), Map.of(), List.of(east))),
        WEST, new Inventory(List.of(
            new Service("web", "asg", List.of(server("i-2", "10.1.0.1")), Map.of(), List.of(west)),
            new Service("api", "asg", List.of(server("i-3", "10.1.0.3")), Map.of(), List.of(api)))));

    Map<String, Service> byName = new LinkedHashMap<>();
    merged.services().forEach(service -> byName.put(service.name(), service));
    assertEquals(List.of(west, east), byName.get("web").groups(), "the same group name in two pairs: two entries, "
        + "sorted by (account, region, name)");
    assertEquals(List.of(api), byName.get("api").groups());
    Service web = byName.get("web");
    assertEquals(east, web.groupOf(web.servers().get(0)).orElseThrow());
    assertEquals(west, web.groupOf(web.servers().get(1)).orElseThrow());
  }

  @Test
  void regionAndAccount_roundTripThroughInventoryJson_andAreLeftOutWhenEmpty() throws Exception {
    Inventory merged = merge(
        PROD_EAST, one(new Service("web", "asg", List.of(server("i-1", "10.0.0.1")))),
        WEST, one(new Service("web", "asg", List.of(server("i-2", "10.1.0.1")))));
    StringWriter json = new StringWriter();
    InventoryJson.write(merged, json);

    assertEquals(merged, InventoryJson.read(new StringReader(json.toString()), "test"));
    assertTrue(json.toString().contains("\"region\": \"eu-west-1\"\n"), json.toString());
    assertEquals(1, json.toString().split("\"account\"", -1).length - 1, json.toString());
  }
}
