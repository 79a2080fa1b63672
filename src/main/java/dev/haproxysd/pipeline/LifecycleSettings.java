package dev.haproxysd.pipeline;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Drain before terminate: which lifecycle hooks {@code apply} completes for instances their group holds in
 * {@code Terminating:Wait}, and when. The calls themselves are made by the {@code LifecycleHooks} client the run is
 * given beside these settings ({@link ApplySettings.Builder#lifecycle}).
 *
 * @param hooks the hook names ({@code --lifecycle-hook}), at least one
 * @param drainMin complete no sooner than this after the instance was first seen waiting, and only without sessions
 * @param drainMax complete at the latest this long after it was first seen, sessions or not; null: the shortest
 *     heartbeat timeout of the instance's hooks
 * @param abandon complete with ABANDON instead of CONTINUE
 */
public record LifecycleSettings(List<String> hooks, Duration drainMin, Duration drainMax, boolean abandon) {
  public LifecycleSettings {
    hooks = List.copyOf(hooks);
    if (hooks.isEmpty()) {
      throw new IllegalArgumentException("no lifecycle hook named");
    }
    Objects.requireNonNull(drainMin, "drainMin");
  }
}
