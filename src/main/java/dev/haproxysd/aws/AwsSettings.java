package dev.haproxysd.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a run reaches AWS: which regions, which identity (the SDK's credential chain, or {@code --profile}, then
 * optionally one assumed role per account), which endpoint, how long a call may take. Null profile or endpoint
 * and no regions mean: the SDK's default chains and the public endpoints. Built with {@link #builder()}; every
 * value is checked when it is built.
 *
 * <p>Example: {@code --region us-east-1,eu-west-1 --role-arn arn:aws:iam::111122223333:role/haproxy-sd} is
 *
 * <pre>{@code
 * AwsSettings.builder()
 *     .regions(List.of("us-east-1", "eu-west-1"))
 *     .roleArns(List.of("arn:aws:iam::111122223333:role/haproxy-sd"))
 *     .callTimeout(Duration.ofSeconds(30))
 *     .attemptTimeout(Duration.ofSeconds(10))
 *     .build(); // two (account, region) pairs
 * }</pre>
 */
public final class AwsSettings {
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]{1,2}");
  // arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME, as IAM spells role names and paths
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

  private final List<String> regions;
  private final String profile;
  private final URI endpoint;
  private final List<String> roleArns;
  private final String externalId;
  private final String roleSessionName;
  private final Duration callTimeout;
  private final Duration attemptTimeout;

  private AwsSettings(Builder b) {
    this.regions = List.copyOf(b.regions);
    this.profile = b.profile;
    this.endpoint = b.endpoint;
    this.roleArns = List.copyOf(b.roleArns);
    this.externalId = b.externalId;
    this.roleSessionName = b.roleSessionName;
    this.callTimeout = Objects.requireNonNull(b.callTimeout, "callTimeout");
    this.attemptTimeout = Objects.requireNonNull(b.attemptTimeout, "attemptTimeout");
    regions.forEach(AwsSettings::checkRegion);
    roleArns.forEach(AwsSettings::checkRoleArn);
    if (externalId != null) {
      checkExternalId(externalId);
    }
    if (roleSessionName != null) {
      checkRoleSessionName(roleSessionName);
    }
  }

  /** Settings with no region, the chain's identity and the public endpoints; both timeouts must be set. */
  public static Builder builder() {
    return new Builder();
  }

  /** Where to discover, each one; empty: the one region of AWS_REGION, the profile or the instance. */
  public List<String> regions() {
    return regions;
  }

  /** The profile of ~/.aws/config and ~/.aws/credentials, or null for the default chain. */
  public String profile() {
    return profile;
  }

  /** Where every request goes, STS included, or null for the SDK's own endpoint resolution. */
  public URI endpoint() {
    return endpoint;
  }

  /** Roles to assume on top of the chain's credentials, one account each; empty: the chain's own. */
  public List<String> roleArns() {
    return roleArns;
  }

  /** Sent with every AssumeRole of {@link #roleArns()}, or null. */
  public String externalId() {
    return externalId;
  }

  /** The session name of those AssumeRole calls, or null for {@code haproxy-sd-HOSTNAME}. */
  public String roleSessionName() {
    return roleSessionName;
  }

  /** The limit for one API call including its retries. */
  public Duration callTimeout() {
    return callTimeout;
  }

  /** The limit for one HTTP attempt. */
  public Duration attemptTimeout() {
    return attemptTimeout;
  }

  /** Equal settings reach AWS the same way: a kept session serves both ({@link AwsSessions#kept}). */
  @Override
  public boolean equals(Object o) {
    return o instanceof AwsSettings s && regions.equals(s.regions) && Objects.equals(profile, s.profile)
        && Objects.equals(endpoint, s.endpoint) && roleArns.equals(s.roleArns)
        && Objects.equals(externalId, s.externalId) && Objects.equals(roleSessionName, s.roleSessionName)
        && callTimeout.equals(s.callTimeout) && attemptTimeout.equals(s.attemptTimeout);
  }

  @Override
  public int hashCode() {
    return Objects.hash(regions, profile, endpoint, roleArns, externalId, roleSessionName, callTimeout,
        attemptTimeout);
  }

  /** Collects the settings; {@link #build()} checks them. */
  public static final class Builder {
    private List<String> regions = List.of();
    private String profile;
    private URI endpoint;
    private List<String> roleArns = List.of();
    private String externalId;
    private String roleSessionName;
    private Duration callTimeout;
    private Duration attemptTimeout;

    private Builder() {}

    public Builder regions(List<String> regions) {
      this.regions = Objects.requireNonNull(regions, "regions");
      return this;
    }

    /** One region, or none when null. */
    public Builder region(String region) {
      return regions(region == null ? List.of() : List.of(region));
    }

    public Builder profile(String profile) {
      this.profile = profile;
      return this;
    }

    public Builder endpoint(URI endpoint) {
      this.endpoint = endpoint;
      return this;
    }

    public Builder roleArns(List<String> roleArns) {
      this.roleArns = Objects.requireNonNull(roleArns, "roleArns");
      return this;
    }

    public Builder externalId(String externalId) {
      this.externalId = externalId;
      return this;
    }

    public Builder roleSessionName(String roleSessionName) {
      this.roleSessionName = roleSessionName;
      return this;
    }

    public Builder callTimeout(Duration callTimeout) {
      this.callTimeout = callTimeout;
      return this;
    }

    public Builder attemptTimeout(Duration attemptTimeout) {
      this.attemptTimeout = attemptTimeout;
      return this;
    }

    /** @throws IllegalArgumentException for a value AWS would refuse, saying what it should look like */
    public AwsSettings build() {
      return new AwsSettings(this);
    }
  }

  /** @throws IllegalArgumentException saying what a region looks like */
  public static String checkRegion(String region) {
    return check(region, REGION, "a region such as us-east-1");
  }

  /** @throws IllegalArgumentException saying what a role ARN looks like */
  public static String checkRoleArn(String arn) {
    return check(arn, ROLE_ARN, "a role ARN such as arn:aws:iam::111122223333:role/haproxy-sd");
  }

  /** @throws IllegalArgumentException saying what an external id may hold */
  public static String checkExternalId(String id) {
    return check(id, EXTERNAL_ID, "2-1224 characters of letters, digits and +=,.@:/-_");
  }

  /** @throws IllegalArgumentException saying what a session name may hold */
  public static String checkRoleSessionName(String name) {
    return check(name, SESSION_NAME, "2-64 characters of letters, digits and +=,.@-_");
  }

  /** The 12-digit account of a role ARN. */
  static String accountOf(String roleArn) {
    return roleArn.split(":", 6)[4];
  }

  private static String check(String value, Pattern pattern, String expected) {
    if (value == null || !pattern.matcher(value).matches()) {
      throw new IllegalArgumentException("expected " + expected + ", not '" + (value == null ? "" : value) + "'");
    }
    return value;
  }
}
