package dev.haproxysd.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How a run reaches AWS: which regions, which identity (the SDK's credential chain, or {@code --profile}, then
 * optionally one assumed role per account), which endpoint, how long a call may take. Null profile or endpoint
 * and no regions mean: the SDK's default chains and the public endpoints.
 *
 * <p>Example: {@code --region us-east-1,eu-west-1 --role-arn arn:aws:iam::111122223333:role/haproxy-sd} is {@code
 * new AwsSettings(List.of("us-east-1", "eu-west-1"), null, null, List.of("arn:aws:iam::111122223333:role/haproxy-sd"),
 * null, null, Duration.ofSeconds(30), Duration.ofSeconds(10))}: two (account, region) pairs.
 *
 * @param regions where to discover, each one; empty: the one region of AWS_REGION, the profile or the instance
 * @param roleArns roles to assume on top of the chain's credentials, one account each; empty: the chain's own
 * @param externalId sent with every AssumeRole of {@code roleArns}, or null
 * @param roleSessionName the session name of those AssumeRole calls, or null for {@code haproxy-sd-HOSTNAME}
 * @param callTimeout the limit for one API call including its retries
 * @param attemptTimeout the limit for one HTTP attempt
 */
public record AwsSettings(
    List<String> regions,
    String profile,
    URI endpoint,
    List<String> roleArns,
    String externalId,
    String roleSessionName,
    Duration callTimeout,
    Duration attemptTimeout) {

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+)+-[0-9]{1,2}");
  // arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME, as IAM spells role names and paths
  private static final Pattern ROLE_ARN =
      Pattern.compile("arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/([\\w+=,.@-]+/)*[\\w+=,.@-]{1,64}");
  private static final Pattern EXTERNAL_ID = Pattern.compile("[\\w+=,.@:/-]{2,1224}");
  private static final Pattern SESSION_NAME = Pattern.compile("[\\w+=,.@-]{2,64}");

  public AwsSettings {
    regions = List.copyOf(regions);
    roleArns = List.copyOf(roleArns);
    Objects.requireNonNull(callTimeout, "callTimeout");
    Objects.requireNonNull(attemptTimeout, "attemptTimeout");
    regions.forEach(AwsSettings::checkRegion);
    roleArns.forEach(AwsSettings::checkRoleArn);
    if (externalId != null) {
      checkExternalId(externalId);
    }
    if (roleSessionName != null) {
      checkRoleSessionName(roleSessionName);
    }
  }

  /** One region, the chain's identity: what a run without {@code --region} and {@code --role-arn} used to take. */
  public static AwsSettings of(String region, String profile, URI endpoint, Duration callTimeout,
      Duration attemptTimeout) {
    return new AwsSettings(region == null ? List.of() : List.of(region), profile, endpoint, List.of(), null, null,
        callTimeout, attemptTimeout);
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
