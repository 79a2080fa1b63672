package dev.haproxysd.discovery;

import dev.haproxysd.aws.AwsSettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What to ask AWS: how to connect (regions, identity, endpoint), which Auto Scaling groups, which EC2 instances by
 * tag and which Cloud Map namespaces, and how instance tags or attributes map to servers. Any selection may be
 * empty; {@link Source#aws} builds clients only for the selected ones.
 *
 * <p>Example: {@code --asg web --region us-east-1} is {@code new AwsQuery(AwsSettings.builder().region("us-east-1")
 * ...build(), new AutoScaling(List.of("web"), Map.of(), Address.PRIVATE, Standby.MAINT), CloudMap.NONE,
 * TagNames.DEFAULT, 80)}.
 *
 * @param defaultPort the server port unless a tag or {@code AWS_INSTANCE_PORT} says otherwise
 */
public record AwsQuery(
    AwsSettings connection, AutoScaling autoScaling, Ec2 ec2, CloudMap cloudMap, TagNames tagNames,
    int defaultPort) {

  public AwsQuery {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(autoScaling, "autoScaling");
    Objects.requireNonNull(ec2, "ec2");
    Objects.requireNonNull(cloudMap, "cloudMap");
    Objects.requireNonNull(tagNames, "tagNames");
    if (defaultPort < 1 || defaultPort > 65535) {
      throw new IllegalArgumentException("port " + defaultPort + " is outside 1-65535");
    }
  }

  /** A query without EC2 instances by tag. */
  public AwsQuery(
      AwsSettings connection, AutoScaling autoScaling, CloudMap cloudMap, TagNames tagNames, int defaultPort) {
    this(connection, autoScaling, Ec2.NONE, cloudMap, tagNames, defaultPort);
  }

  /** True when at least one AWS source is selected. */
  public boolean selected() {
    return autoScaling.selected() || ec2.selected() || cloudMap.selected();
  }

  /**
   * Auto Scaling groups by name and/or by tag; when both are given a group must match both (one AWS request does
   * both filters).
   *
   * @param groupTags tag key → value; every one must match
   */
  public record AutoScaling(
      List<String> groupNames, Map<String, String> groupTags, Address address, Standby standby) {
    public static final AutoScaling NONE = new AutoScaling(List.of(), Map.of(), Address.PRIVATE, Standby.MAINT);

    public AutoScaling {
      groupNames = List.copyOf(groupNames);
      groupTags = sorted(groupTags);
      Objects.requireNonNull(address, "address");
      Objects.requireNonNull(standby, "standby");
    }

    public boolean selected() {
      return !groupNames.isEmpty() || !groupTags.isEmpty();
    }
  }

  /**
   * Running EC2 instances selected by tags and further {@code DescribeInstances} filters, all of which must match;
   * each value of the name tag is one service.
   *
   * <p>Example: {@code --ec2-tag env=prod --ec2-tag HAProxy:Service:Name --ec2-filter vpc-id=vpc-1} is {@code new
   * Ec2(List.of(Ec2Tag.parse("env=prod"), Ec2Tag.parse("HAProxy:Service:Name")),
   * List.of(Ec2Filter.parse("vpc-id=vpc-1")), Address.PRIVATE)}.
   */
  public record Ec2(List<Ec2Tag> tags, List<Ec2Filter> filters, Address address) {
    public static final Ec2 NONE = new Ec2(List.of(), List.of(), Address.PRIVATE);

    public Ec2 {
      tags = List.copyOf(tags);
      filters = List.copyOf(filters);
      Objects.requireNonNull(address, "address");
    }

    public boolean selected() {
      return !tags.isEmpty() || !filters.isEmpty();
    }
  }

  /**
   * An instance tag that must be present: with this value ({@code KEY=VALUE}, EC2's {@code *} and {@code ?}
   * wildcards allowed), or with any value ({@code KEY}, {@code value} null).
   */
  public record Ec2Tag(String key, String value) {
    public Ec2Tag {
      if (key == null || key.isEmpty()) {
        throw new IllegalArgumentException("the tag key is empty: expected KEY=VALUE or KEY");
      }
      if (value != null && value.isEmpty()) {
        throw new IllegalArgumentException("the value after '" + key + "=' is empty; give KEY to match any value");
      }
    }

    /** Parses {@code KEY=VALUE} (split at the first {@code =}) or {@code KEY}. */
    public static Ec2Tag parse(String text) {
      int eq = text.indexOf('=');
      if (eq == 0) {
        throw new IllegalArgumentException("'" + text + "' has no tag key: expected KEY=VALUE or KEY");
      }
      return eq < 0 ? new Ec2Tag(text, null) : new Ec2Tag(text.substring(0, eq), text.substring(eq + 1));
    }

    @Override
    public String toString() {
      return value == null ? key : key + "=" + value;
    }
  }

  /**
   * A {@code DescribeInstances} filter passed through as the API defines it ({@code vpc-id}, {@code instance-type},
   * {@code tag:Env}, ...): any of its values matches. {@code instance-state-name} is not one: only running
   * instances are served.
   */
  public record Ec2Filter(String name, List<String> values) {
    private static final Pattern NAME = Pattern.compile("tag:.+|[a-z][a-z0-9]*([.-][a-z0-9]+)*");

    public Ec2Filter {
      values = List.copyOf(values);
      if (!NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("'" + name + "' is not a DescribeInstances filter name (such as "
            + "vpc-id, instance-type or tag:KEY)");
      }
      if (name.equals("instance-state-name")) {
        throw new IllegalArgumentException("instance-state-name is always running: only running instances serve");
      }
      if (values.isEmpty() || values.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException("filter " + name + " has an empty value: expected NAME=V1,V2");
      }
    }

    /** Parses {@code NAME=V1,V2,...}. */
    public static Ec2Filter parse(String text) {
      int eq = text.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("expected NAME=V1,V2 (e.g. vpc-id=vpc-0abc), not '" + text + "'");
      }
      return new Ec2Filter(text.substring(0, eq), List.of(text.substring(eq + 1).split(",", -1)));
    }

    @Override
    public String toString() {
      return name + "=" + String.join(",", values);
    }
  }

  /**
   * Cloud Map namespaces (by name or id), optionally only some of their services.
   *
   * @param services service names to keep; empty keeps every service of the namespaces
   */
  public record CloudMap(List<String> namespaces, List<String> services, Health health) {
    public static final CloudMap NONE = new CloudMap(List.of(), List.of(), Health.HEALTHY);

    public CloudMap {
      namespaces = List.copyOf(namespaces);
      services = List.copyOf(services);
      Objects.requireNonNull(health, "health");
    }

    public boolean selected() {
      return !namespaces.isEmpty();
    }
  }

  /**
   * Tag names (Auto Scaling) and attribute names (Cloud Map) that set a server's properties.
   *
   * @param serviceName group tag naming the service (default: the group name)
   * @param servicePort group tag with the port of all its servers
   * @param instancePort instance tag with the port of that server
   * @param weight instance tag or attribute with an SRV-style weight 0-65535 (0 means drain)
   * @param state instance tag or attribute: ready, drain or maint
   */
  public record TagNames(
      String serviceName, String servicePort, String instancePort, String weight, String state) {
    public static final TagNames DEFAULT = new TagNames(
        "HAProxy:Service:Name", "HAProxy:Service:Port", "HAProxy:Instance:Port", "srv_weight",
        "HAProxy:Instance:State");

    public TagNames {
      Objects.requireNonNull(serviceName, "serviceName");
      Objects.requireNonNull(servicePort, "servicePort");
      Objects.requireNonNull(instancePort, "instancePort");
      Objects.requireNonNull(weight, "weight");
      Objects.requireNonNull(state, "state");
    }
  }

  /** Which address of an instance becomes the server address: {@code private}, {@code public} or {@code tag:NAME}. */
  public record Address(Kind kind, String tag) {
    public enum Kind { PRIVATE, PUBLIC, TAG }

    public static final Address PRIVATE = new Address(Kind.PRIVATE, null);
    public static final Address PUBLIC = new Address(Kind.PUBLIC, null);

    public Address {
      Objects.requireNonNull(kind, "kind");
      if ((kind == Kind.TAG) != (tag != null && !tag.isEmpty())) {
        throw new IllegalArgumentException("a tag name goes with tag:NAME and only there");
      }
    }

    /** Parses {@code private}, {@code public} or {@code tag:NAME}. */
    public static Address parse(String text) {
      if (text.equals("private")) {
        return PRIVATE;
      }
      if (text.equals("public")) {
        return PUBLIC;
      }
      if (text.startsWith("tag:") && text.length() > 4) {
        return new Address(Kind.TAG, text.substring(4));
      }
      throw new IllegalArgumentException(
          "expected private, public or tag:NAME, not '" + text + "'");
    }

    @Override
    public String toString() {
      return kind == Kind.TAG ? "tag:" + tag : kind.name().toLowerCase(Locale.ROOT);
    }
  }

  /** What becomes of an instance in {@code Standby}: a server in maintenance, or no server at all. */
  public enum Standby { MAINT, SKIP }

  /** Which Cloud Map instances {@code DiscoverInstances} returns (its {@code HealthStatus}). */
  public enum Health {
    HEALTHY("HEALTHY"),
    HEALTHY_OR_ELSE_ALL("HEALTHY_OR_ELSE_ALL"),
    ALL("ALL");

    final String apiValue;

    Health(String apiValue) {
      this.apiValue = apiValue;
    }

    /** Parses {@code healthy}, {@code healthy-or-else-all} or {@code all}. */
    public static Health parse(String text) {
      for (Health h : values()) {
        if (h.option().equals(text)) {
          return h;
        }
      }
      throw new IllegalArgumentException(
          "expected healthy, healthy-or-else-all or all, not '" + text + "'");
    }

    public String option() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static SortedMap<String, String> sorted(Map<String, String> map) {
    return java.util.Collections.unmodifiableSortedMap(new TreeMap<>(map));
  }
}
