package dev.haproxysd.aws;

import java.util.Objects;

/**
 * One (account, region) a run discovers in: the clients of a pair sign with that account's credentials for that
 * region.
 *
 * @param roleArn the role assumed for this account, or null for the credential chain's own identity
 * @param region e.g. {@code eu-west-1}
 */
public record AwsPair(String roleArn, String region) {
  public AwsPair {
    Objects.requireNonNull(region, "region");
  }

  /** The 12-digit account of the role, or empty for the chain's own identity (not looked up: that costs a call). */
  public String account() {
    return roleArn == null ? "" : AwsSettings.accountOf(roleArn);
  }

  // Written out: a record's generated methods link through ObjectMethods on first use (see model/Sha256).
  @Override
  public boolean equals(Object other) {
    return other instanceof AwsPair that && Objects.equals(roleArn, that.roleArn) && region.equals(that.region);
  }

  @Override
  public int hashCode() {
    return 31 * Objects.hashCode(roleArn) + region.hashCode();
  }

  /** E.g. {@code eu-west-1} or {@code account 111122223333 (role haproxy-sd) eu-west-1}: for messages. */
  @Override
  public String toString() {
    return roleArn == null ? region
        : "account " + account() + " (role " + roleArn.substring(roleArn.indexOf(":role/") + 6) + ") " + region;
  }
}
