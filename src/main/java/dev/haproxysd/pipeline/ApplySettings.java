package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.ConfigCheck;
import dev.haproxysd.haproxy.ReloadStrategy;
import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Everything {@code apply} needs beyond discovery and rendering.
 *
 * @param reload how to reload haproxy, or null to write the config only
 * @param backups how many numbered backups of replaced configs to keep
 * @param dryRun plan, guard and validate, but install and reload nothing
 * @param jitter sleep a random time below this before discovery
 * @param runtimeApi haproxy's runtime API, to change servers without a reload when nothing else changed; or null
 * @param lifecycle which lifecycle hooks to complete for instances drained before termination, or null for none
 */
public record ApplySettings(
    Path configFile,
    StateStore state,
    ReloadStrategy reload,
    ConfigCheck validator,
    Guards guards,
    int backups,
    Duration lockTimeout,
    Duration jitter,
    boolean dryRun,
    RuntimeApi runtimeApi,
    LifecycleSettings lifecycle) {

  public ApplySettings(Path configFile, StateStore state, ReloadStrategy reload, ConfigCheck validator, Guards guards,
      int backups, Duration lockTimeout, Duration jitter, boolean dryRun, RuntimeApi runtimeApi) {
    this(configFile, state, reload, validator, guards, backups, lockTimeout, jitter, dryRun, runtimeApi, null);
  }

  public ApplySettings(Path configFile, StateStore state, ReloadStrategy reload, ConfigCheck validator, Guards guards,
      int backups, Duration lockTimeout, Duration jitter, boolean dryRun) {
    this(configFile, state, reload, validator, guards, backups, lockTimeout, jitter, dryRun, null);
  }
}
