package dev.haproxysd.state;

import java.time.Instant;
import java.util.Objects;

/**
 * An instance an Auto Scaling group holds in {@code Terminating:Wait}, as this balancer has seen it drain
 * ({@code STATE_DIR/lifecycle.json}, see {@link DrainingJson}).
 *
 * @param group the Auto Scaling group's name, as AWS spells it
 * @param instance the instance id
 * @param firstSeen when a run of this balancer first saw it waiting (and drained it)
 * @param lastHeartbeat when this balancer last extended its lifecycle action's timeout, or null
 * @param completed when this balancer completed its lifecycle action (or found it completed), or null
 */
public record DrainingInstance(String group, String instance, Instant firstSeen, Instant lastHeartbeat,
    Instant completed) {
  public DrainingInstance {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(instance, "instance");
    Objects.requireNonNull(firstSeen, "firstSeen");
  }

  /** First seen waiting at {@code now}. */
  public static DrainingInstance seen(String group, String instance, Instant now) {
    return new DrainingInstance(group, instance, now, null, null);
  }

  public DrainingInstance heartbeat(Instant now) {
    return new DrainingInstance(group, instance, firstSeen, now, completed);
  }

  public DrainingInstance complete(Instant now) {
    return new DrainingInstance(group, instance, firstSeen, lastHeartbeat, now);
  }

  /** Group and instance, e.g. {@code web-asg/i-0abc}: one lifecycle action per hook. */
  public String key() {
    return group + "/" + instance;
  }
}
