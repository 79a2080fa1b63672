package dev.haproxysd.cli;

import dev.haproxysd.aws.Warmup.Service;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * The AWS services a command line will call, guessed from the raw arguments, the environment and the config file
 * before picocli has built anything, so that {@link dev.haproxysd.aws.Warmup} can run meanwhile. A guess only: a
 * wrong one costs a little CPU on another core or saves less time, and never changes what the run does.
 */
final class WarmupHint {
  /** The options that select an AWS-backed source or feature, and the services they call. */
  static final Map<String, Set<Service>> OPTIONS = Map.of(
      "--asg", EnumSet.of(Service.AUTOSCALING, Service.EC2),
      "--asg-tag", EnumSet.of(Service.AUTOSCALING, Service.EC2),
      "--ec2-tag", EnumSet.of(Service.EC2),
      "--ec2-filter", EnumSet.of(Service.EC2),
      "--cloudmap-namespace", EnumSet.of(Service.SERVICEDISCOVERY),
      "--publish", EnumSet.of(Service.S3));
  private static final String INVENTORY = "--inventory";

  private WarmupHint() {}

  static Set<Service> services(String[] args, ConfigDefaults defaults) {
    Set<String> names = new HashSet<>(OPTIONS.keySet());
    names.add(INVENTORY);
    Map<String, String> given = defaults.given(names, args);
    Set<Service> services = EnumSet.noneOf(Service.class);
    for (Map.Entry<String, Set<Service>> option : OPTIONS.entrySet()) {
      if (given.containsKey(option.getKey())) {
        services.addAll(option.getValue());
      }
    }
    if (given.getOrDefault(INVENTORY, "").startsWith("s3://")) {
      services.add(Service.S3);
    }
    return services;
  }
}
