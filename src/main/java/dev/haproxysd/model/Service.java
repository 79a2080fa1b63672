package dev.haproxysd.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;

/**
 * One service (an Auto Scaling group, a Cloud Map service or an entry of an inventory file) and its servers,
 * sorted by server name.
 *
 * @param name haproxy-safe name, used for the backend
 * @param source where it came from, e.g. {@code file}, {@code asg}, {@code cloudmap}
 * @param tags group tags or service attributes, raw; templates see them only through checks
 * @param groups for a service discovered from Auto Scaling groups: what each group said of its capacity and members
 *     in that run, one per (account, region, group), sorted; empty for other sources. Written in the inventory JSON
 *     (version 2), never seen by templates.
 */
public record Service(String name, String source, List<Server> servers, Map<String, String> tags,
    List<ScalingGroup> groups) {

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
      groups = sortedGroups(groups);
    } catch (UnsafeValueException e) {
      throw e.within("service " + SafeValue.quote(name));
    }
  }

  public Service(String name, String source, List<Server> servers, Map<String, String> tags) {
    this(name, source, servers, tags, List.of());
  }

  public Service(String name, String source, List<Server> servers) {
    this(name, source, servers, Map.of());
  }

  /** Whether the service's size is set by a desired capacity (an Auto Scaling group) the guards can consult. */
  public boolean hasDesiredCapacity() {
    return !groups.isEmpty();
  }

  /** This service with other group facts (the servers, and so the rendered config, stay as they are). */
  public Service withGroups(List<ScalingGroup> newGroups) {
    return new Service(name, source, servers, tags, newGroups);
  }

  /**
   * The group {@code server} belongs to: the one that lists it as a member, else (a member gone from its group) the
   * group of the (account, region) it was discovered in — in a run of one pair, where servers carry no region, the
   * service's only group. Empty when no group speaks for it (EC2 instances by tag joined from another pair).
   */
  public Optional<ScalingGroup> groupOf(Server server) {
    for (ScalingGroup g : groups) {
      if (g.lifecycle(server.id()).isPresent()) {
        return Optional.of(g);
      }
    }
    if (server.region().isEmpty()) {
      return groups.size() == 1 ? Optional.of(groups.get(0)) : Optional.empty();
    }
    return groups.stream().filter(g -> g.sameLocation(server)).findFirst();
  }

  private static List<ScalingGroup> sortedGroups(List<ScalingGroup> groups) {
    if (groups == null || groups.isEmpty()) {
      return List.of();
    }
    List<ScalingGroup> sorted = new ArrayList<>(groups);
    sorted.sort(ScalingGroup.ORDER);
    for (int i = 1; i < sorted.size(); i++) {
      if (ScalingGroup.ORDER.compare(sorted.get(i - 1), sorted.get(i)) == 0) {
        ScalingGroup g = sorted.get(i);
        throw new UnsafeValueException("Auto Scaling group " + SafeValue.quote(g.name()) + " of region "
            + g.region() + (g.account().isEmpty() ? "" : " and account " + g.account()) + " is listed twice");
      }
    }
    return List.copyOf(sorted);
  }
}
