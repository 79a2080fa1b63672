package dev.haproxysd.discovery;

import dev.haproxysd.aws.AwsCall;
import dev.haproxysd.aws.AwsClients;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.LifecycleState;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.ScalingGroup;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.UnsafeValueException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsRequest;
import software.amazon.awssdk.services.autoscaling.model.DescribeAutoScalingGroupsResponse;
import software.amazon.awssdk.services.autoscaling.model.Filter;
import software.amazon.awssdk.services.autoscaling.model.TagDescription;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;

/**
 * Auto Scaling groups, each one service, their instances the servers. Two kinds of calls, both batched and paged:
 * {@code DescribeAutoScalingGroups} (100 groups a page) and EC2 {@code DescribeInstances} (1000 instance ids a
 * call), so G groups with N instances cost about ⌈G/100⌉ + ⌈N/1000⌉ calls.
 *
 * <p>Lifecycle → state ({@link LifecycleState#serverState}): {@code InService} is ready; {@code Terminating*} and
 * {@code Detaching} drain (the connections finish while a lifecycle hook holds the instance); {@code Standby} is
 * maint or left out ({@link AwsQuery.Standby}); everything else ({@code Pending*}, {@code Warmed:*}, ...) is left
 * out. The EC2 state must be {@code running} in every case.
 */
final class AutoScalingSource implements Source {
  static final String SOURCE = "asg";
  static final int GROUPS_PER_PAGE = 100;
  static final int IDS_PER_CALL = 1000;

  private final AwsClients clients;
  private final AwsQuery.AutoScaling query;
  private final AwsQuery.TagNames names;
  private final int defaultPort;
  private final Log log;
  private final ServerMapping mapping;

  AutoScalingSource(AwsClients clients, AwsQuery query, Log log) {
    this.clients = clients;
    this.query = query.autoScaling();
    this.names = query.tagNames();
    this.defaultPort = query.defaultPort();
    this.log = log;
    this.mapping = new ServerMapping(names, log);
  }

  @Override
  public Inventory discover() {
    List<AutoScalingGroup> groups = describeGroups();
    Map<String, ServerState> wanted = new TreeMap<>();
    for (AutoScalingGroup group : groups) {
      for (software.amazon.awssdk.services.autoscaling.model.Instance member : group.instances()) {
        lifecycleState(member.lifecycleStateAsString(), query.standby())
            .ifPresent(state -> wanted.put(member.instanceId(), state));
      }
    }
    Map<String, Instance> instances = describeInstances(new ArrayList<>(wanted.keySet()));
    List<Service> services = new ArrayList<>();
    for (AutoScalingGroup group : groups) {
      services.add(service(group, wanted, instances));
    }
    return new Inventory(services);
  }

  /** The server state an Auto Scaling lifecycle state implies; empty for an instance that must not serve. */
  static Optional<ServerState> lifecycleState(String lifecycle, AwsQuery.Standby standby) {
    return LifecycleState.serverState(lifecycle)
        .filter(state -> state != ServerState.MAINT || standby == AwsQuery.Standby.MAINT);
  }

  private List<AutoScalingGroup> describeGroups() {
    List<Filter> filters = query.groupTags().entrySet().stream()
        .map(e -> Filter.builder().name("tag:" + e.getKey()).values(e.getValue()).build())
        .collect(Collectors.toList());
    // Without names one listing covers every group; with names, at most GROUPS_PER_PAGE names a request.
    List<List<String>> nameBatches = query.groupNames().isEmpty()
        ? List.of(List.of()) : batches(new ArrayList<>(new TreeSet<>(query.groupNames())), GROUPS_PER_PAGE);
    Map<String, AutoScalingGroup> groups = new LinkedHashMap<>();
    for (List<String> names : nameBatches) {
      AwsCall call = new AwsCall("autoscaling", "DescribeAutoScalingGroups", selection(names));
      List<DescribeAutoScalingGroupsResponse> pages = call.allPages(
          token -> clients.autoScaling().describeAutoScalingGroups(DescribeAutoScalingGroupsRequest.builder()
              .autoScalingGroupNames(names.isEmpty() ? null : names)
              .filters(filters.isEmpty() ? null : filters)
              .maxRecords(GROUPS_PER_PAGE)
              .nextToken(token)
              .build()),
          DescribeAutoScalingGroupsResponse::nextToken);
      for (DescribeAutoScalingGroupsResponse page : pages) {
        page.autoScalingGroups().forEach(g -> groups.put(g.autoScalingGroupName(), g));
      }
    }
    List<String> missing = query.groupNames().stream().filter(n -> !groups.containsKey(n)).sorted().distinct()
        .collect(Collectors.toList());
    if (!missing.isEmpty()) {
      throw new DiscoveryException("Auto Scaling group " + missing.stream().map(SafeValue::quote)
          .collect(Collectors.joining(", ")) + " not found" + (query.groupTags().isEmpty() ? "" : " with the tags "
          + "given by --asg-tag") + " in this region; check --asg, --asg-tag and --region");
    }
    if (groups.isEmpty()) {
      log.warn("no Auto Scaling group matches " + selection(List.of()));
    }
    return new ArrayList<>(groups.values());
  }

  private Map<String, Instance> describeInstances(List<String> ids) {
    Map<String, Instance> found = new HashMap<>();
    List<List<String>> batches = batches(ids, IDS_PER_CALL);
    for (int b = 0; b < batches.size(); b++) {
      List<String> batch = batches.get(b);
      String resource = batch.size() + (batch.size() == 1 ? " instance" : " instances") + " of the selected groups"
          + (batches.size() > 1 ? ", batch " + (b + 1) + " of " + batches.size() : "");
      AwsCall call = new AwsCall("ec2", "DescribeInstances", resource);
      // MaxResults cannot go with explicit ids; EC2 may still page, so every NextToken is followed.
      List<DescribeInstancesResponse> pages = call.allPages(
          token -> clients.ec2().describeInstances(
              DescribeInstancesRequest.builder().instanceIds(batch).nextToken(token).build()),
          DescribeInstancesResponse::nextToken);
      Ec2Instances.of(pages).forEach(i -> found.put(i.instanceId(), i));
    }
    return found;
  }

  private Service service(AutoScalingGroup group, Map<String, ServerState> wanted, Map<String, Instance> instances) {
    String groupName = group.autoScalingGroupName();
    Map<String, String> groupTags = new TreeMap<>();
    for (TagDescription t : group.tags()) {
      groupTags.put(t.key(), t.value() == null ? "" : t.value());
    }
    String context = "Auto Scaling group " + SafeValue.quote(groupName);
    String serviceName;
    int port;
    try {
      String nameTag = groupTags.get(names.serviceName());
      serviceName = nameTag != null
          ? SafeValue.name("tag " + names.serviceName(), nameTag)
          : SafeValue.name("group name (set the tag " + names.serviceName() + " to a valid name)", groupName);
      String portTag = groupTags.get(names.servicePort());
      port = portTag == null ? defaultPort : ServerMapping.port("tag " + names.servicePort(), portTag);
    } catch (UnsafeValueException e) {
      throw e.within(context);
    }
    List<Server> servers = new ArrayList<>();
    Map<String, String> lifecycles = new TreeMap<>();
    for (software.amazon.awssdk.services.autoscaling.model.Instance member : group.instances()) {
      if (member.instanceId() != null && member.lifecycleStateAsString() != null) {
        lifecycles.put(member.instanceId(), member.lifecycleStateAsString());
      }
      ServerState state = wanted.get(member.instanceId());
      if (state == null) {
        log.debug(context + ": instance " + SafeValue.quote(member.instanceId()) + " left out (lifecycle "
            + member.lifecycleStateAsString() + ")");
        continue;
      }
      Instance instance = instances.get(member.instanceId());
      if (!Ec2Instances.running(instance)) {
        log.debug(context + ": instance " + SafeValue.quote(member.instanceId()) + " left out (EC2 state "
            + Ec2Instances.state(instance) + ")");
        continue;
      }
      mapping.server(Ec2Instances.candidate(serviceName, instance, Ec2Instances.tags(instance), query.address(),
              names.instancePort(), port, state, member.availabilityZone()))
          .ifPresent(servers::add);
    }
    // DesiredCapacity is a required field; without it the guards treat the group like a source without one.
    List<ScalingGroup> facts = group.desiredCapacity() == null ? List.of() : List.of(facts(group, lifecycles));
    return new Service(serviceName, SOURCE, servers, groupTags, facts);
  }

  /** What the group says of itself, where this source found it: its pair's region and account. */
  private ScalingGroup facts(AutoScalingGroup group, Map<String, String> lifecycles) {
    try {
      return new ScalingGroup(group.autoScalingGroupName(), clients.pair().region(), clients.pair().account(),
          Math.max(0, group.desiredCapacity()), lifecycles);
    } catch (IllegalArgumentException e) {
      throw new UnsafeValueException(e.getMessage());
    }
  }

  private String selection(List<String> names) {
    List<String> parts = new ArrayList<>();
    if (!names.isEmpty()) {
      parts.add("groups " + names.stream().map(SafeValue::quote).collect(Collectors.joining(", ")));
    }
    query.groupTags().forEach((k, v) -> parts.add("tag " + SafeValue.quote(k + "=" + v)));
    return parts.isEmpty() ? "all groups" : String.join(", ", parts);
  }

  static <T> List<List<T>> batches(List<T> items, int size) {
    List<List<T>> batches = new ArrayList<>();
    for (int i = 0; i < items.size(); i += size) {
      batches.add(List.copyOf(items.subList(i, Math.min(items.size(), i + size))));
    }
    return batches;
  }
}
