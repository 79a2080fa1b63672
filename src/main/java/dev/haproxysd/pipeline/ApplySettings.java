package dev.haproxysd.pipeline;

import dev.haproxysd.fleet.DrainReports;
import dev.haproxysd.haproxy.ConfigCheck;
import dev.haproxysd.haproxy.ReloadStrategy;
import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.lifecycle.LifecycleHooks;
import dev.haproxysd.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code apply} needs beyond discovery and rendering. Built with {@link #builder}: the config file, the
 * state directory and {@code haproxy -c} are required, everything else has a default saying "not asked for".
 *
 * <pre>{@code
 * ApplySettings settings = ApplySettings.builder(configFile, store, checker)
 *     .reload(ReloadStrategy.parse("master-socket:/run/haproxy-master.sock", ...))
 *     .runtimeApi(RuntimeApi.parse("/run/haproxy/admin.sock", Duration.ofSeconds(10)))
 *     .backups(5)
 *     .build();
 * }</pre>
 */
public final class ApplySettings {
  private final Path configFile;
  private final StateStore state;
  private final ConfigCheck validator;
  private final ReloadStrategy reload;
  private final Guards guards;
  private final int backups;
  private final Duration lockTimeout;
  private final Duration jitter;
  private final boolean dryRun;
  private final RuntimeApi runtimeApi;
  private final LifecycleSettings lifecycle;
  private final LifecycleHooks lifecycleHooks;
  private final DrainReports drainReports;

  private ApplySettings(Builder b) {
    this.configFile = b.configFile;
    this.state = b.state;
    this.validator = b.validator;
    this.reload = b.reload;
    this.guards = Objects.requireNonNull(b.guards, "guards");
    this.backups = b.backups;
    this.lockTimeout = Objects.requireNonNull(b.lockTimeout, "lockTimeout");
    this.jitter = Objects.requireNonNull(b.jitter, "jitter");
    this.dryRun = b.dryRun;
    this.runtimeApi = b.runtimeApi;
    this.lifecycle = b.lifecycle;
    this.lifecycleHooks = b.lifecycleHooks;
    this.drainReports = b.drainReports;
    if (drainReports != null && lifecycle == null) {
      throw new IllegalArgumentException("drain reports need lifecycle settings");
    }
    if (backups < 0) {
      throw new IllegalArgumentException("backups (" + backups + ") must not be negative");
    }
  }

  /**
   * @param configFile the installed config haproxy reads
   * @param state the state directory that records what apply put there
   * @param validator {@code haproxy -c}, run on every candidate before it is installed
   */
  public static Builder builder(Path configFile, StateStore state, ConfigCheck validator) {
    return new Builder(configFile, state, validator);
  }

  public Path configFile() {
    return configFile;
  }

  public StateStore state() {
    return state;
  }

  public ConfigCheck validator() {
    return validator;
  }

  /** How to reload haproxy, or null to write the config only. */
  public ReloadStrategy reload() {
    return reload;
  }

  public Guards guards() {
    return guards;
  }

  /** How many numbered backups of replaced configs to keep. */
  public int backups() {
    return backups;
  }

  /** How long to wait for another run's lock. */
  public Duration lockTimeout() {
    return lockTimeout;
  }

  /** Sleep a random time below this before discovery. */
  public Duration jitter() {
    return jitter;
  }

  /** Plan, guard and validate, but install and reload nothing. */
  public boolean dryRun() {
    return dryRun;
  }

  /** haproxy's runtime API, to change servers without a reload when nothing else changed; or null. */
  public RuntimeApi runtimeApi() {
    return runtimeApi;
  }

  /** Which lifecycle hooks to complete for instances drained before termination, or null for none. */
  public LifecycleSettings lifecycle() {
    return lifecycle;
  }

  /** The lifecycle calls for {@link #lifecycle()}, or null without it; open and closed by the caller. */
  public LifecycleHooks lifecycleHooks() {
    return lifecycleHooks;
  }

  /**
   * The fleet's drain reports ({@code --drain-reports}), or null: this balancer decides alone; open and closed by
   * the caller.
   */
  public DrainReports drainReports() {
    return drainReports;
  }

  /** Collects the settings; {@link #build()} checks them. */
  public static final class Builder {
    private final Path configFile;
    private final StateStore state;
    private final ConfigCheck validator;
    private ReloadStrategy reload;
    private Guards guards = Guards.DEFAULT;
    private int backups;
    private Duration lockTimeout = Duration.ZERO;
    private Duration jitter = Duration.ZERO;
    private boolean dryRun;
    private RuntimeApi runtimeApi;
    private LifecycleSettings lifecycle;
    private LifecycleHooks lifecycleHooks;
    private DrainReports drainReports;

    private Builder(Path configFile, StateStore state, ConfigCheck validator) {
      this.configFile = Objects.requireNonNull(configFile, "configFile");
      this.state = Objects.requireNonNull(state, "state");
      this.validator = Objects.requireNonNull(validator, "validator");
    }

    /** Default: none, the config is written but haproxy is not reloaded. */
    public Builder reload(ReloadStrategy reload) {
      this.reload = reload;
      return this;
    }

    /** Default: {@link Guards#DEFAULT}. */
    public Builder guards(Guards guards) {
      this.guards = guards;
      return this;
    }

    /** Default: 0, no numbered backup (the last-known-good config is kept regardless). */
    public Builder backups(int backups) {
      this.backups = backups;
      return this;
    }

    /** Default: zero, a locked state directory fails the run at once. */
    public Builder lockTimeout(Duration lockTimeout) {
      this.lockTimeout = lockTimeout;
      return this;
    }

    /** Default: zero, no sleep. */
    public Builder jitter(Duration jitter) {
      this.jitter = jitter;
      return this;
    }

    public Builder dryRun(boolean dryRun) {
      this.dryRun = dryRun;
      return this;
    }

    /** Default: none, every change reloads. */
    public Builder runtimeApi(RuntimeApi runtimeApi) {
      this.runtimeApi = runtimeApi;
      return this;
    }

    /**
     * Default: none, no lifecycle work.
     *
     * @param calls makes the lifecycle calls: a client the caller opened and closes (it may serve several runs)
     */
    public Builder lifecycle(LifecycleSettings lifecycle, LifecycleHooks calls) {
      if ((lifecycle == null) != (calls == null)) {
        throw new IllegalArgumentException("lifecycle settings and lifecycle calls go together");
      }
      this.lifecycle = lifecycle;
      this.lifecycleHooks = calls;
      return this;
    }

    /**
     * Default: none, this balancer completes a lifecycle action on its own count alone. Needs {@link #lifecycle}.
     *
     * @param reports the fleet's drain reports: a client the caller opened and closes
     */
    public Builder drainReports(DrainReports reports) {
      this.drainReports = reports;
      return this;
    }

    /** @throws IllegalArgumentException for a negative {@code backups}, or drain reports without lifecycle work */
    public ApplySettings build() {
      return new ApplySettings(this);
    }
  }
}
