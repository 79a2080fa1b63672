package dev.haproxysd.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an Auto Scaling group said about itself in the run that discovered its service: how many instances it wants,
 * and the lifecycle state of every member (also of members that are not servers: pending, terminating, detached,
 * in standby). Plain data, independent of the SDK, so that the guards can tell a scale-in the group explains from
 * instances that vanished while the group still wants them, and lifecycle work can find its waiting instances.
 *
 * <pre>{@code
 * ScalingGroup g = new ScalingGroup("web-asg", 2, Map.of("i-1", "InService", "i-2", "Terminating:Wait"));
 * g.leaving("i-2");   // true: Terminating:Wait
 * g.lifecycle("i-9"); // empty: not a member (any more)
 * }</pre>
 *
 * @param name the group's name as AWS spells it (raw: never rendered)
 * @param desiredCapacity the group's DesiredCapacity, 0 or more
 * @param lifecycleStates instance id → lifecycle state as AWS spells it ({@link LifecycleState}), e.g. {@code
 *     InService}, {@code Terminating:Wait}, {@code Detaching}, {@code Standby}
 */
public record ScalingGroup(String name, int desiredCapacity, Map<String, String> lifecycleStates) {

  public ScalingGroup {
    Objects.requireNonNull(name, "name");
    if (desiredCapacity < 0) {
      throw new IllegalArgumentException("desiredCapacity (" + desiredCapacity + ") of group " + SafeValue.quote(name)
          + " is negative");
    }
    SortedMap<String, String> sorted = new TreeMap<>();
    lifecycleStates.forEach((id, state) -> sorted.put(Objects.requireNonNull(id, "instance id"),
        Objects.requireNonNull(state, "lifecycle state of " + id)));
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
}
