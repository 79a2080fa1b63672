package dev.haproxysd.discovery;

import dev.haproxysd.model.ServerState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesResponse;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.Tag;

/**
 * How the EC2-backed sources (Auto Scaling groups, EC2 by tag) read an EC2 instance: its tags, whether it runs, and
 * what {@link ServerMapping} needs to make it a server (the address {@code --address} chooses, the port tag).
 */
final class Ec2Instances {
  private Ec2Instances() {}

  /** Every instance of every reservation of {@code pages}, in the order EC2 returned them. */
  static List<Instance> of(List<DescribeInstancesResponse> pages) {
    List<Instance> instances = new ArrayList<>();
    for (DescribeInstancesResponse page : pages) {
      for (Reservation r : page.reservations()) {
        instances.addAll(r.instances());
      }
    }
    return instances;
  }

  static Map<String, String> tags(Instance instance) {
    Map<String, String> tags = new TreeMap<>();
    for (Tag t : instance.tags()) {
      tags.put(t.key(), t.value() == null ? "" : t.value());
    }
    return tags;
  }

  static boolean running(Instance instance) {
    return instance != null && instance.state() != null && instance.state().name() == InstanceStateName.RUNNING;
  }

  /** For a log line: {@code running}, {@code stopped}, ... or why it is not known. */
  static String state(Instance instance) {
    return instance == null ? "unknown: not returned by DescribeInstances"
        : instance.state() == null ? "unknown" : instance.state().nameAsString();
  }

  /**
   * The instance as {@link ServerMapping} checks it.
   *
   * @param portTag the tag whose value is the port; without that tag the port is {@code defaultPort}
   */
  static ServerMapping.Instance candidate(String service, Instance instance, Map<String, String> tags,
      AwsQuery.Address address, String portTag, int defaultPort, ServerState state, String zone) {
    String addressLabel;
    String addressValue;
    switch (address.kind()) {
      case PUBLIC -> {
        addressLabel = "public IPv4 address";
        addressValue = instance.publicIpAddress();
      }
      case TAG -> {
        addressLabel = "address tag " + address.tag();
        addressValue = tags.get(address.tag());
      }
      default -> {
        addressLabel = "private IPv4 address";
        addressValue = instance.privateIpAddress();
      }
    }
    return new ServerMapping.Instance(service, instance.instanceId(), addressLabel, addressValue, "tag " + portTag,
        tags.get(portTag), defaultPort, state, zone, tags);
  }
}
