package dev.haproxysd.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;

/**
 * One service (an Auto Scaling group, a Cloud Map service or an entry of an inventory file) and its servers,
 * sorted by server name.
 *
 * @param name haproxy-safe name, used for the backend
 * @param source where it came from, e.g. {@code file}, {@code asg}, {@code cloudmap}
 * @param tags group tags or service attributes, raw; templates see them only through checks
 * @param group for a service discovered from an Auto Scaling group: what the group said of its capacity and
 *     members in that run; null for other sources. Not part of the inventory JSON, not seen by templates.
 */
public record Service(String name, String source, List<Server> servers, Map<String, String> tags,
    ScalingGroup group) {

  public Service {
    name = SafeValue.name("service name", name);
    try {
      source = SafeValue.name("source", source);
      List<Server> sorted = new ArrayList<>(servers);
      sorted.sort(Comparator.comparing(Server::name));
      Set<String> seen = new HashSet<>();
      for (Server s : sorted) {
        if (!seen.add(s.name())) {
          throw new UnsafeValueException("two servers are named " + SafeValue.quote(s.name()));
        }
      }
      servers = List.copyOf(sorted);
      tags = Server.sortedCopy(tags);
    } catch (UnsafeValueException e) {
      throw e.within("service " + SafeValue.quote(name));
    }
  }

  public Service(String name, String source, List<Server> servers, Map<String, String> tags) {
    this(name, source, servers, tags, null);
  }

  public Service(String name, String source, List<Server> servers) {
    this(name, source, servers, Map.of());
  }

  /** Whether the service's size is set by a desired capacity (an Auto Scaling group) the guards can consult. */
  public boolean hasDesiredCapacity() {
    return group != null;
  }
}
