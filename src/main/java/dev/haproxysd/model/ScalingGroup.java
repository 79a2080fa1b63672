package dev.haproxysd.model;

import java.util.Collections;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * What an Auto Scaling group said about itself in the run that discovered its service: where it lives, how many
 * instances it wants, and the lifecycle state of every member (also of members that are not servers: pending,
 * terminating, detached, in standby). Plain data, independent of the SDK, so that the guards can tell a scale-in the
 * group explains from instances that vanished while the group still wants them, and lifecycle work can find its
 * waiting instances — in the run that discovered it or in any reader of its inventory (version 2 of the JSON).
 *
 * <p>Published group facts are input (anyone who may write the S3 object may write them), so every field is
 * checked here, and a reader refuses what fails with the field's JSON path.
 *
 * <pre>{@code
 * ScalingGroup g = new ScalingGroup("web-asg", "us-east-1", "", 2,
 *     Map.of("i-1", "InService", "i-2", "Terminating:Wait"));
 * g.leaving("i-2");   // true: Terminating:Wait
 * g.lifecycle("i-9"); // empty: not a member (any more)
 * }</pre>
 *
 * @param name the group's name as AWS spells it: 1 to 255 characters, no control character (raw: never rendered)
 * @param region the region the group was discovered in, e.g. {@code us-east-1}
 * @param account the 12-digit account of the role it was discovered with, or empty for the credential chain's own
 * @param desiredCapacity the group's DesiredCapacity, 0 to {@link #MAX_DESIRED_CAPACITY}
 * @param lifecycleStates instance id → lifecycle state as AWS spells it ({@link LifecycleState}), e.g. {@code
 *     InService}, {@code Terminating:Wait}, {@code Detaching}, {@code Standby}; a state AWS adds later ({@code
 *     Warmed:Pending}) is kept and counts as not leaving
 */
public record ScalingGroup(String name, String region, String account, int desiredCapacity,
    Map<String, String> lifecycleStates) {
  /** Far above any real group (the EC2 quotas of one region end long before): a larger value is not a fact. */
  public static final int MAX_DESIRED_CAPACITY = 100_000;
  public static final int MAX_NAME_LENGTH = 255;

  /** One key per group of a service: a service spanning (account, region) pairs has one group in each. */
  static final Comparator<ScalingGroup> ORDER = Comparator.comparing(ScalingGroup::account)
      .thenComparing(ScalingGroup::region).thenComparing(ScalingGroup::name);

  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z0-9]+){1,4}");
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  // AWS issues i- and 8 or 17 hex digits; shorter ones are accepted for emulators, nothing else.
  private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{1,17}");
  private static final Pattern LIFECYCLE_STATE = Pattern.compile("[A-Za-z]{1,32}(:[A-Za-z]{1,32}){0,3}");

  public ScalingGroup {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(account, "account");
    String problem = nameProblem(name);
    problem = problem != null ? problem : regionProblem(region);
    problem = problem != null ? problem : accountProblem(account);
    problem = problem != null ? problem : capacityProblem(desiredCapacity);
    if (problem != null) {
      throw new IllegalArgumentException("Auto Scaling group " + SafeValue.quote(name) + ": " + problem);
    }
    SortedMap<String, String> sorted = new TreeMap<>();
    lifecycleStates.forEach((id, state) -> {
      String bad = memberProblem(Objects.requireNonNull(id, "instance id"),
          Objects.requireNonNull(state, "lifecycle state of " + id));
      if (bad != null) {
        throw new IllegalArgumentException("Auto Scaling group " + SafeValue.quote(name) + ": " + bad);
      }
      sorted.put(id, state);
    });
    lifecycleStates = Collections.unmodifiableSortedMap(sorted);
  }

  /** The lifecycle state of a member, or empty when the instance is not (or no longer) in the group. */
  public Optional<String> lifecycle(String instanceId) {
    return Optional.ofNullable(lifecycleStates.get(instanceId));
  }

  /**
   * Whether the member is on its way out of service on the group's own account: terminating, detaching or detached,
   * entering or in standby ({@link LifecycleState#leaving}).
   */
  public boolean leaving(String instanceId) {
    return lifecycle(instanceId).map(LifecycleState::leaving).orElse(false);
  }

  /** Whether {@code server} was discovered in this group's (account, region): its pair, or a run of one pair. */
  public boolean sameLocation(Server server) {
    return server.region().equals(region) && server.account().equals(account);
  }

  /** Why {@code name} is not an Auto Scaling group name, or null when it is one. */
  static String nameProblem(String name) {
    if (name.isEmpty() || name.codePointCount(0, name.length()) > MAX_NAME_LENGTH) {
      return "a group name has 1 to " + MAX_NAME_LENGTH + " characters";
    }
    return name.codePoints().anyMatch(Character::isISOControl) ? "a group name has no control character" : null;
  }

  static String regionProblem(String region) {
    return REGION.matcher(region).matches() ? null : "region " + SafeValue.quote(region)
        + " is not an AWS region (e.g. us-east-1)";
  }

  static String accountProblem(String account) {
    return account.isEmpty() || ACCOUNT.matcher(account).matches() ? null
        : "account " + SafeValue.quote(account) + " is not a 12-digit AWS account";
  }

  static String capacityProblem(long desiredCapacity) {
    return desiredCapacity >= 0 && desiredCapacity <= MAX_DESIRED_CAPACITY ? null
        : "desiredCapacity " + desiredCapacity + " is outside 0-" + MAX_DESIRED_CAPACITY;
  }

  static String instanceProblem(String id) {
    return INSTANCE_ID.matcher(id).matches() ? null
        : "member " + SafeValue.quote(id) + " is not an EC2 instance id (i- and up to 17 hex digits)";
  }

  static String stateProblem(String state) {
    return LIFECYCLE_STATE.matcher(state).matches() ? null : "lifecycle state " + SafeValue.quote(state)
        + " is not a lifecycle state (words joined by ':', e.g. Terminating:Wait)";
  }

  private static String memberProblem(String id, String state) {
    String problem = instanceProblem(id);
    return problem != null ? problem : stateProblem(state);
  }
}
