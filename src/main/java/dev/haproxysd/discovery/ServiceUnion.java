package dev.haproxysd.discovery;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.ScalingGroup;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Joins the inventories of the two EC2-backed sources, where one instance can be reached twice: an Auto Scaling
 * group's instances carry the group's tags (propagated at launch), so {@code --asg web --ec2-tag
 * HAProxy:Service:Name} finds them in both. A service name found in both becomes one service; an instance in both
 * is one server of it, as the preferred source saw it (the group's view knows the lifecycle state, EC2's does
 * not). Service tags are the preferred source's, then the other's where it has none; the group's capacity and
 * lifecycle states stay only while EC2 added no server the group does not have.
 */
final class ServiceUnion {
  private ServiceUnion() {}

  static Inventory of(Inventory preferred, Inventory other) {
    Map<String, Service> byName = new LinkedHashMap<>();
    preferred.services().forEach(s -> byName.put(s.name(), s));
    for (Service service : other.services()) {
      byName.merge(service.name(), service, ServiceUnion::join);
    }
    return new Inventory(new ArrayList<>(byName.values()));
  }

  private static Service join(Service preferred, Service other) {
    Map<String, Server> servers = new LinkedHashMap<>();
    preferred.servers().forEach(s -> servers.put(s.id(), s));
    other.servers().forEach(s -> servers.putIfAbsent(s.id(), s));
    Map<String, String> tags = new TreeMap<>(other.tags());
    tags.putAll(preferred.tags());
    // A group's capacity explains only its own members: servers from elsewhere make the union a service without one.
    List<ScalingGroup> groups = servers.size() == preferred.servers().size() ? preferred.groups() : List.of();
    return new Service(preferred.name(), preferred.source(), List.copyOf(servers.values()), tags, groups);
  }
}
