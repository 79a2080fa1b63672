package dev.haproxysd.cli;

import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.aws.AwsSettings;
import dev.haproxysd.discovery.AwsQuery;
import dev.haproxysd.discovery.Source;
import dev.haproxysd.fleet.FleetInventory;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Log;
import dev.haproxysd.state.StateStore;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Where the inventory comes from: a file, a shared inventory in S3, Auto Scaling groups, EC2 instances by tag or
 * filter, Cloud Map namespaces, or several of them merged. Shared by every command that discovers; how they reach
 * AWS is {@link AwsOptions}.
 */
final class SourceOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  // paramLabel FILE|...: shells still complete file names (GenerateDocs); the converter also takes s3:// URLs.
  @Option(names = "--inventory", paramLabel = "FILE|s3://BUCKET/KEY",
      converter = InventoryLocation.Converter.class,
      description = "Read the inventory from FILE, as written by 'discover -o json' ('-' reads standard input), or "
          + "from the S3 object a 'discover --publish' wrote: no Auto Scaling, EC2 or Cloud Map call, at most two S3 "
          + "requests (apply keeps the last download in --state-dir and asks S3 only whether it changed).")
  InventoryLocation inventory;

  @Option(names = "--max-inventory-age", paramLabel = "DURATION", defaultValue = "10m", converter = Durations.class,
      description = "Refuse an S3 inventory discovered longer ago than DURATION (its publisher is dead or stuck) "
          + "with exit code 22; the running config stays. 0: no limit (default: ${DEFAULT-VALUE}).")
  Duration maxInventoryAge;

  // split: so that one config-file line can list several (haproxy-sd.conf holds one value per key)
  @Option(names = "--asg", paramLabel = "NAME", split = ",",
      description = "An Auto Scaling group; it becomes one service (repeatable, or comma-separated).")
  List<String> groups = new ArrayList<>();

  @Option(names = "--asg-tag", paramLabel = "KEY=VALUE", split = ",",
      description = "Select the Auto Scaling groups carrying this tag (repeatable: all must match; with --asg, a "
          + "named group must match them too).")
  Map<String, String> groupTags = new LinkedHashMap<>();

  @Option(names = "--ec2-tag", paramLabel = "KEY=VALUE|KEY", split = ",", converter = Ec2TagConverter.class,
      description = "Select the running EC2 instances carrying this tag: with this VALUE (EC2's wildcards * and ? "
          + "work) or, as KEY alone, with any value (repeatable, or comma-separated: all must match). Each value of "
          + "their --name-tag is one service; an instance without it is skipped with a warning.")
  List<AwsQuery.Ec2Tag> ec2Tags = new ArrayList<>();

  // split at ';' because a filter's own values are comma-separated
  @Option(names = "--ec2-filter", paramLabel = "NAME=V1,V2", split = ";", splitSynopsisLabel = "; ",
      converter = Ec2FilterConverter.class,
      description = "Select running EC2 instances by this DescribeInstances filter, passed through as EC2 defines "
          + "it: any of its values matches, e.g. vpc-id=vpc-0abc or instance-type=t3.small,t3.medium (repeatable, "
          + "or ';'-separated: all must match, with every --ec2-tag).")
  List<AwsQuery.Ec2Filter> ec2Filters = new ArrayList<>();

  @Option(names = "--address", paramLabel = "private|public|tag:NAME", defaultValue = "private",
      converter = AddressConverter.class,
      description = "Which IPv4 address of an instance becomes the server address (default: ${DEFAULT-VALUE}). "
          + "tag:NAME reads the instance tag NAME. An instance without it is skipped with a warning.")
  AwsQuery.Address address;

  @Option(names = "--port", paramLabel = "N", defaultValue = "80",
      description = "Server port unless a port tag or Cloud Map's AWS_INSTANCE_PORT says otherwise "
          + "(default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--standby", paramLabel = "maint|skip", defaultValue = "maint",
      description = "Instances in Standby: a server in maintenance, or left out (default: ${DEFAULT-VALUE}).")
  AwsQuery.Standby standby;

  @Option(names = "--name-tag", paramLabel = "KEY", defaultValue = "HAProxy:Service:Name",
      description = "Group tag naming the service instead of the group name; for --ec2-tag and --ec2-filter, the "
          + "instance tag naming its service (default: ${DEFAULT-VALUE}).")
  String nameTag;

  @Option(names = "--service-port-tag", paramLabel = "KEY", defaultValue = "HAProxy:Service:Port",
      description = "Group tag with the port of all its servers; for --ec2-tag and --ec2-filter, an instance tag "
          + "read when it has no --instance-port-tag (default: ${DEFAULT-VALUE}).")
  String servicePortTag;

  @Option(names = "--instance-port-tag", paramLabel = "KEY", defaultValue = "HAProxy:Instance:Port",
      description = "Instance tag with the port of that server (default: ${DEFAULT-VALUE}).")
  String instancePortTag;

  @Option(names = "--weight-tag", paramLabel = "KEY", defaultValue = "srv_weight",
      description = "Instance tag or Cloud Map attribute with an SRV weight 0-65535, scaled to haproxy's 0-256 "
          + "like SRV records (0 drains) (default: ${DEFAULT-VALUE}).")
  String weightTag;

  @Option(names = "--state-tag", paramLabel = "KEY", defaultValue = "HAProxy:Instance:State",
      description = "Instance tag or Cloud Map attribute: ready, drain or maint (default: ${DEFAULT-VALUE}).")
  String stateTag;

  @Option(names = "--cloudmap-namespace", paramLabel = "NAME", split = ",",
      description = "A Cloud Map namespace (name or id); each of its services becomes one service "
          + "(repeatable, or comma-separated).")
  List<String> namespaces = new ArrayList<>();

  @Option(names = "--cloudmap-service", paramLabel = "NAME", split = ",",
      description = "Only this Cloud Map service of the namespaces (repeatable, or comma-separated).")
  List<String> cloudMapServices = new ArrayList<>();

  @Option(names = "--health", paramLabel = "healthy|healthy-or-else-all|all", defaultValue = "healthy",
      converter = HealthConverter.class,
      description = "Which Cloud Map instances to use (DiscoverInstances' HealthStatus; default: ${DEFAULT-VALUE}).")
  AwsQuery.Health health;

  /** True when Auto Scaling groups are a source. */
  boolean autoScaling() {
    return !groups.isEmpty() || !groupTags.isEmpty();
  }

  /** True when any source is given. */
  boolean given() {
    return inventory != null || !groups.isEmpty() || !groupTags.isEmpty() || !ec2Tags.isEmpty()
        || !ec2Filters.isEmpty() || !namespaces.isEmpty();
  }

  /**
   * The source the options select, reaching AWS as {@code aws} says.
   *
   * @param cache where an S3 inventory's last download is kept ({@code apply}'s state directory, written under its
   *     lock), or null: one GET per run
   */
  Source source(InputStream stdin, Log log, Clock clock, AwsOptions aws, StateStore cache, AwsSessions sessions) {
    if (!given()) {
      throw new ParameterException(command.commandLine(),
          "No source: give --inventory FILE, --asg NAME, --asg-tag KEY=VALUE, --ec2-tag KEY=VALUE|KEY, "
              + "--ec2-filter NAME=V1,V2 or --cloudmap-namespace NAME");
    }
    if (!cloudMapServices.isEmpty() && namespaces.isEmpty()) {
      throw new ParameterException(command.commandLine(), "--cloudmap-service needs --cloudmap-namespace");
    }
    AwsSettings connection = aws.settings();
    if (port < 1 || port > 65535) {
      throw new ParameterException(command.commandLine(), "--port " + port + " is outside 1-65535");
    }
    List<Source> sources = new ArrayList<>();
    if (inventory != null && inventory.s3() != null) {
      sources.add(FleetInventory.reader(inventory.s3(), connection, sessions,
          new FleetInventory.ReadSettings(maxInventoryAge, cache, clock), log));
    } else if (inventory != null) {
      sources.add(Source.file(inventory.file(), stdin));
    }
    AwsQuery query = new AwsQuery(
        connection,
        new AwsQuery.AutoScaling(groups, groupTags, address, standby),
        new AwsQuery.Ec2(ec2Tags, ec2Filters, address),
        new AwsQuery.CloudMap(namespaces, cloudMapServices, health),
        new AwsQuery.TagNames(nameTag, servicePortTag, instancePortTag, weightTag, stateTag),
        port);
    if (query.selected()) {
      sources.add(Source.aws(query, sessions, log));
    }
    return Source.merge(sources);
  }

  static final class AddressConverter extends ParsingConverter<AwsQuery.Address> {
    AddressConverter() {
      super(AwsQuery.Address::parse);
    }
  }

  static final class Ec2TagConverter extends ParsingConverter<AwsQuery.Ec2Tag> {
    Ec2TagConverter() {
      super(AwsQuery.Ec2Tag::parse);
    }
  }

  static final class Ec2FilterConverter extends ParsingConverter<AwsQuery.Ec2Filter> {
    Ec2FilterConverter() {
      super(AwsQuery.Ec2Filter::parse);
    }
  }

  static final class HealthConverter extends ParsingConverter<AwsQuery.Health> {
    HealthConverter() {
      super(AwsQuery.Health::parse);
    }
  }
}
