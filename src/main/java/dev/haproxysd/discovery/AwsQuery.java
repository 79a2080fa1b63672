package dev.haproxysd.discovery;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What to ask AWS: how to connect, which Auto Scaling groups and which Cloud Map namespaces, and how instance tags
 * or attributes map to servers. Either selection may be empty; {@link Source#aws} builds clients only for the
 * selected ones.
 *
 * <p>Example: {@code --asg web --region us-east-1} is {@code new AwsQuery(new Connection("us-east-1", null, null,
 * ...), new AutoScaling(List.of("web"), Map.of(), Address.PRIVATE, Standby.MAINT), CloudMap.NONE,
 * TagNames.DEFAULT, 80)}.
 *
 * @param defaultPort the server port unless a tag or {@code AWS_INSTANCE_PORT} says otherwise
 */
public record AwsQuery(
    Connection connection, AutoScaling autoScaling, CloudMap cloudMap, TagNames tagNames, int defaultPort) {

  public AwsQuery {
    Objects.requireNonNull(connection, "connection");
    Objects.requireNonNull(autoScaling, "autoScaling");
    Objects.requireNonNull(cloudMap, "cloudMap");
    Objects.requireNonNull(tagNames, "tagNames");
    if (defaultPort < 1 || defaultPort > 65535) {
      throw new IllegalArgumentException("port " + defaultPort + " is outside 1-65535");
    }
  }

  /** True when at least one AWS source is selected. */
  public boolean selected() {
    return autoScaling.selected() || cloudMap.selected();
  }

  /**
   * How to reach AWS. Null region, profile or endpoint mean: the SDK's default chains and the public endpoints.
   *
   * @param callTimeout the limit for one API call including its retries
   * @param attemptTimeout the limit for one HTTP attempt
   */
  public record Connection(
      String region, String profile, URI endpoint, Duration callTimeout, Duration attemptTimeout) {
    public Connection {
      Objects.requireNonNull(callTimeout, "callTimeout");
      Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    }
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
