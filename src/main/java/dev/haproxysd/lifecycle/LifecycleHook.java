package dev.haproxysd.lifecycle;

import java.time.Duration;
import java.util.Objects;

/**
 * A termination lifecycle hook of an Auto Scaling group.
 *
 * @param name the hook's name
 * @param heartbeatTimeout how long the group waits for a completion or a heartbeat before it goes on by itself
 */
public record LifecycleHook(String name, Duration heartbeatTimeout) {
  public LifecycleHook {
    Objects.requireNonNull(name, "name");
    if (heartbeatTimeout == null || heartbeatTimeout.isNegative() || heartbeatTimeout.isZero()) {
      throw new IllegalArgumentException("heartbeat timeout of hook " + name + " must be positive, not "
          + heartbeatTimeout);
    }
  }
}
