package dev.haproxysd.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.ScalingGroup;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceUnionTest {
  private static final ScalingGroup GROUP = new ScalingGroup("web-asg", "us-east-1", "", 2, Map.of("i-1", "InService",
      "i-2", "InService"));

  @Test
  void theSameInstancesFromEc2_keepTheGroupsCapacity() {
    Service union = union(List.of("i-1", "i-2"), List.of("i-2"));
    assertEquals(List.of(GROUP), union.groups());
    assertEquals(2, union.servers().size());
  }

  @Test
  void anInstanceTheGroupDoesNotHave_leavesAServiceWithoutDesiredCapacity() {
    Service union = union(List.of("i-1", "i-2"), List.of("i-3"));
    assertEquals(List.of(), union.groups(), "the group's capacity cannot explain i-3 leaving");
    assertEquals(3, union.servers().size());
  }

  private static Service union(List<String> asg, List<String> ec2) {
    Inventory preferred = new Inventory(List.of(new Service("web", "asg", servers(asg), Map.of(), List.of(GROUP))));
    Inventory other = new Inventory(List.of(new Service("web", "ec2", servers(ec2))));
    return ServiceUnion.of(preferred, other).services().get(0);
  }

  private static List<Server> servers(List<String> ids) {
    return ids.stream().map(id -> Server.of(id, InetAddress.getLoopbackAddress(), 80)).toList();
  }
}
