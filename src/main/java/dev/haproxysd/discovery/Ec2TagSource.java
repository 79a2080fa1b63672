package dev.haproxysd.discovery;

import dev.haproxysd.aws.AwsCall;
import dev.haproxysd.aws.AwsClients;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.UnsafeValueException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Running EC2 instances selected by tags and filters, without an Auto Scaling group: each value of the name tag
 * ({@code HAProxy:Service:Name}) is one service. One paged {@code DescribeInstances} with every selection as a
 * server-side filter ({@code instance-state-name=running}, {@code tag:KEY} or {@code tag-key}, the pass-through
 * filters), 1000 instances a page, so N instances cost ⌈N/1000⌉ calls.
 *
 * <p>The port is the instance's {@code HAProxy:Instance:Port} tag, else its {@code HAProxy:Service:Port} tag, else
 * {@code --port}. An instance without the name tag, or whose name, address, port, weight or state cannot be used,
 * is skipped with a warning naming it. A service's tags are the tags every one of its servers carries with the
 * same value (what a group's tags are to an Auto Scaling service).
 */
final class Ec2TagSource implements Source {
  static final int MAX_RESULTS = 1000;
  static final String SOURCE = "ec2";

  private final AwsClients clients;
  private final AwsQuery query;
  private final Log log;

  Ec2TagSource(AwsClients clients, AwsQuery query, Log log) {
    this.clients = clients;
    this.query = query;
    this.log = log;
  }

  @Override
  public Inventory discover() {
    ServerMapping mapping = new ServerMapping(query.tagNames(), log);
    Map<String, Instance> byId = new TreeMap<>();
    for (Instance instance : describeInstances()) {
      byId.putIfAbsent(instance.instanceId(), instance);
    }
    if (byId.isEmpty()) {
      log.warn("no running EC2 instance matches " + selection());
    }
    Map<String, List<Server>> services = new TreeMap<>();
    for (Instance instance : byId.values()) {
      Map<String, String> tags = Ec2Instances.tags(instance);
      Optional<String> service = service(instance, tags);
      if (service.isPresent()) {
        List<Server> servers = services.computeIfAbsent(service.get(), s -> new ArrayList<>());
        mapping.server(candidate(service.get(), instance, tags)).ifPresent(servers::add);
      }
    }
    List<Service> found = new ArrayList<>();
    services.forEach((name, servers) -> found.add(new Service(name, SOURCE, servers, sharedTags(servers))));
    return new Inventory(found);
  }

  /** The service a running instance's name tag names; empty, with a log line, for any other instance. */
  private Optional<String> service(Instance instance, Map<String, String> tags) {
    String what = "EC2 instance " + SafeValue.quote(instance.instanceId());
    if (!Ec2Instances.running(instance)) {
      log.debug(what + " left out (EC2 state " + Ec2Instances.state(instance) + ")");
      return Optional.empty();
    }
    String nameTag = query.tagNames().serviceName();
    String name = tags.get(nameTag);
    if (name == null) {
      log.warn(what + " skipped: it has no tag " + nameTag + " naming its service");
      return Optional.empty();
    }
    try {
      return Optional.of(SafeValue.name("tag " + nameTag, name));
    } catch (UnsafeValueException e) {
      log.warn(what + " skipped: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** Without a group, the service port tag is the instance's too: its own port tag first, then that. */
  private ServerMapping.Instance candidate(String service, Instance instance, Map<String, String> tags) {
    AwsQuery.TagNames names = query.tagNames();
    String portTag = tags.containsKey(names.instancePort()) ? names.instancePort() : names.servicePort();
    String zone = instance.placement() == null ? null : instance.placement().availabilityZone();
    return Ec2Instances.candidate(service, instance, tags, query.ec2().address(), portTag, query.defaultPort(),
        ServerState.READY, zone);
  }

  private List<Instance> describeInstances() {
    List<Filter> filters = new ArrayList<>();
    filters.add(Filter.builder().name("instance-state-name").values("running").build());
    for (AwsQuery.Ec2Tag tag : query.ec2().tags()) {
      filters.add(tag.value() == null
          ? Filter.builder().name("tag-key").values(tag.key()).build()
          : Filter.builder().name("tag:" + tag.key()).values(tag.value()).build());
    }
    for (AwsQuery.Ec2Filter filter : query.ec2().filters()) {
      filters.add(Filter.builder().name(filter.name()).values(filter.values()).build());
    }
    AwsCall call = new AwsCall("ec2", "DescribeInstances", selection());
    return Ec2Instances.of(call.allPages(
        token -> clients.ec2().describeInstances(DescribeInstancesRequest.builder()
            .filters(filters)
            .maxResults(MAX_RESULTS)
            .nextToken(token)
            .build()),
        DescribeInstancesResponse::nextToken));
  }

  /** The tags all {@code servers} carry with the same value. */
  private static Map<String, String> sharedTags(List<Server> servers) {
    if (servers.isEmpty()) {
      return Map.of();
    }
    Map<String, String> shared = new HashMap<>(servers.get(0).tags());
    for (Server s : servers) {
      shared.entrySet().removeIf(e -> !e.getValue().equals(s.tags().get(e.getKey())));
    }
    return shared;
  }

  /** E.g. {@code running instances with tags 'env=prod', 'HAProxy:Service:Name' and filter 'vpc-id=vpc-1'}. */
  private String selection() {
    List<AwsQuery.Ec2Tag> tags = query.ec2().tags();
    List<AwsQuery.Ec2Filter> filters = query.ec2().filters();
    List<String> parts = new ArrayList<>();
    if (!tags.isEmpty()) {
      parts.add((tags.size() == 1 ? "tag " : "tags ")
          + tags.stream().map(t -> SafeValue.quote(t.toString())).collect(Collectors.joining(", ")));
    }
    if (!filters.isEmpty()) {
      parts.add((filters.size() == 1 ? "filter " : "filters ")
          + filters.stream().map(f -> SafeValue.quote(f.toString())).collect(Collectors.joining(", ")));
    }
    return "running instances with " + String.join(" and ", parts);
  }
}
