package dev.haproxysd.discovery;

import dev.haproxysd.aws.AwsPair;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.ScalingGroup;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Merges the inventories of several (account, region) pairs into one: services of the same name become one
 * service holding the servers of every pair, and each server carries the region and account it came from.
 *
 * <p>Server ids stay unique within a service: an id found in more than one pair (Cloud Map instance ids are
 * chosen by whoever registers them) becomes {@code ID.REGION}, or {@code ID.ACCOUNT.REGION} with an assumed
 * role. Service tags are the union; where pairs disagree on a tag's value, the first pair's (in the order of
 * {@code --role-arn}, then {@code --region}) is kept. An Auto Scaling group in one pair and EC2 instances by tag in
 * another join as {@link ServiceUnion} joins them within a pair (the merged service is {@code asg} if any part is);
 * any other mix of kinds (an Auto Scaling group here, a Cloud Map service there) fails the run. The merged service
 * keeps the facts of every pair's Auto Scaling group, one entry per (account, region, group): each explains the
 * removals of its own members.
 */
final class PairMerge {
  private PairMerge() {}

  /** @param inventories by pair, in the run's pair order */
  static Inventory merge(Map<AwsPair, Inventory> inventories) {
    Map<String, List<Found>> byService = new LinkedHashMap<>();
    for (Map.Entry<AwsPair, Inventory> e : inventories.entrySet()) {
      for (Service service : e.getValue().services()) {
        byService.computeIfAbsent(service.name(), n -> new ArrayList<>()).add(new Found(e.getKey(), service));
      }
    }
    List<Service> merged = new ArrayList<>();
    for (Map.Entry<String, List<Found>> e : byService.entrySet()) {
      merged.add(service(e.getKey(), e.getValue()));
    }
    return new Inventory(merged);
  }

  private static Service service(String name, List<Found> parts) {
    Found first = parts.get(0);
    String source = first.service.source();
    Map<String, Integer> pairsOfId = new HashMap<>();
    Map<String, String> tags = new TreeMap<>();
    for (Found part : parts) {
      if (!compatible(part.service.source(), first.service.source())) {
        throw new DiscoveryException("service " + SafeValue.quote(name) + " comes from " + first.service.source()
            + " in " + first.pair + " but from " + part.service.source() + " in " + part.pair
            + "; rename one (--name-tag) or select one of them");
      }
      if (part.service.source().equals(AutoScalingSource.SOURCE)) {
        source = AutoScalingSource.SOURCE;
      }
      part.service.servers().forEach(s -> pairsOfId.merge(s.id(), 1, Integer::sum));
      part.service.tags().forEach(tags::putIfAbsent);
    }
    List<Server> servers = new ArrayList<>();
    for (Found part : parts) {
      AwsPair pair = part.pair;
      for (Server s : part.service.servers()) {
        String id = pairsOfId.get(s.id()) == 1 ? s.id()
            : s.id() + (pair.account().isEmpty() ? "" : "." + pair.account()) + "." + pair.region();
        servers.add(s.from(id, pair.region(), pair.account()));
      }
    }
    // Each pair's group explains its own members: one entry per (account, region, group), each in its pair.
    Map<String, ScalingGroup> groups = new LinkedHashMap<>();
    for (Found part : parts) {
      part.service.groups().forEach(g -> groups.putIfAbsent(g.account() + "/" + g.region() + "/" + g.name(), g));
    }
    return new Service(name, source, servers, tags, List.copyOf(groups.values()));
  }

  /** The two EC2-backed kinds name the same instances (a group's tags propagate to them): one service. */
  private static boolean compatible(String a, String b) {
    Set<String> ec2Backed = Set.of(AutoScalingSource.SOURCE, Ec2TagSource.SOURCE);
    return a.equals(b) || (ec2Backed.contains(a) && ec2Backed.contains(b));
  }

  private record Found(AwsPair pair, Service service) {}
}
