package dev.haproxysd.cli;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.fleet.DrainReports;
import dev.haproxysd.lifecycle.LifecycleHooks;
import dev.haproxysd.haproxy.ReloadStrategy;
import dev.haproxysd.haproxy.ProcessRunner;
import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Log;
import dev.haproxysd.pipeline.ApplyFailure;
import dev.haproxysd.pipeline.ApplyResult;
import dev.haproxysd.pipeline.Outcome;
import dev.haproxysd.pipeline.ApplySettings;
import dev.haproxysd.pipeline.Guards;
import dev.haproxysd.pipeline.LifecycleReport;
import dev.haproxysd.pipeline.LifecycleSettings;
import dev.haproxysd.pipeline.NoGroupFactsException;
import dev.haproxysd.pipeline.Pipeline;
import dev.haproxysd.pipeline.Plan;
import dev.haproxysd.state.LastRun;
import dev.haproxysd.state.LockedException;
import dev.haproxysd.state.StateStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "apply",
    header = "Discover, render, and install and reload haproxy when the config changed: the cron job.",
    description = {
      "Takes the --state-dir lock, discovers, renders and compares with the installed config and the last "
          + "recorded apply. Unchanged: exits 0 at once, writing and reloading nothing. Changed: checks the guards, "
          + "writes a candidate next to --config-file, runs 'haproxy -c' on it, keeps the old file as last-known-good "
          + "(plus --backups numbered copies), replaces the config atomically, reloads, verifies the reload and "
          + "records the new state. A failed reload restores the last-known-good config and reloads it again.",
      "Example (cron): haproxy-sd apply -q --inventory /etc/haproxy-sd/inventory.json "
          + "--reload master-socket:/run/haproxy-master.sock --jitter 20s --metrics-file "
          + "/var/lib/node_exporter/textfile/haproxy_sd.prom"
    })
final class ApplyCommand implements Callable<Integer> {
  /** How long one runtime API command may take before apply gives up on it and reloads. */
  private static final Duration RUNTIME_TIMEOUT = Duration.ofSeconds(10);

  @ParentCommand HaproxySdCommand root;
  @Mixin SourceOptions source;
  @Mixin AwsOptions aws;
  @Mixin TemplateOptions template;
  @Mixin TargetOptions target;
  @Mixin HaproxyOptions haproxy;
  @Mixin DrainReportOptions drainReports;

  @Option(names = "--reload", paramLabel = "STRATEGY",
      description = "How to reload haproxy, each verified: master-socket:PATH (master CLI reload), "
          + "signal:PIDFILE (SIGUSR2 to the master-worker master) or command:CMD (e.g. 'command:systemctl reload "
          + "haproxy'). Without it apply installs the config and does not reload.")
  String reload;

  @Option(names = "--runtime-api", paramLabel = "SOCKET",
      description = "haproxy's stats socket with 'level admin' (a UNIX socket path or ipv4@127.0.0.1:PORT). When "
          + "haproxy runs the installed config and only server addresses, ports, weights or states in existing slots "
          + "change, apply sets them through it (set server ... addr/weight/state), checks every reply and 'show "
          + "servers state', and installs the file without a reload. Anything else, or any surprise: a reload. Before "
          + "a reload it saves server state to the config's server-state-file.")
  String runtimeApi;

  @Option(names = "--master-socket", paramLabel = "PATH",
      description = "haproxy's master socket (-S PATH), to verify signal: and command: reloads with 'show proc'. "
          + "Without it they are verified through the config's stats socket, if it has one.")
  Path masterSocket;

  @Option(names = "--reload-timeout", paramLabel = "DURATION", defaultValue = "15s", converter = Durations.class,
      description = "How long haproxy may take to show a new worker and open every listener (default: "
          + "${DEFAULT-VALUE}).")
  Duration reloadTimeout;

  @Option(names = "--allow-empty",
      description = "Let a service that had servers end up with none (otherwise the run is refused).")
  boolean allowEmpty;

  @Option(names = "--max-removal", paramLabel = "PERCENT", defaultValue = "50%", converter = Percent.class,
      description = "Refuse a run that removes more than this share of all servers at once without an explanation "
          + "(default: ${DEFAULT-VALUE}). An Auto Scaling group explains its own scale-in: members terminating, "
          + "detaching or in standby, and as many as its DesiredCapacity went down. Servers missing while their "
          + "group still wants them are refused on every run; a shrink from a source without desired capacity "
          + "(Cloud Map, --inventory) waits for --confirm-runs.")
  int maxRemoval;

  @Option(names = "--confirm-runs", paramLabel = "N", defaultValue = "3",
      description = "Apply a shrink beyond --max-removal from a source without desired capacity once the same "
          + "shrink was seen in N consecutive runs (default: ${DEFAULT-VALUE}; 1: at once; 0: only with --force). "
          + "The streak and its first-seen time are kept in STATE_DIR/pending-shrink.json; a run that does not see "
          + "the same shrink starts it again.")
  int confirmRuns;

  @Option(names = "--force", description = "Override the empty and --max-removal guards for this run, and try a "
      + "quarantined config again (one that haproxy -c rejected or whose reload was rolled back).")
  boolean force;

  @Option(names = "--dry-run",
      description = "Do everything but install and reload: print the diff, check the guards and haproxy -c. "
          + "Takes no lock and writes nothing.")
  boolean dryRun;

  @Option(names = "--jitter", paramLabel = "DURATION", defaultValue = "0", converter = Durations.class,
      description = "Sleep a random time below DURATION before discovery, so a fleet does not call the API in "
          + "lockstep (e.g. 20s).")
  Duration jitter;

  @Option(names = "--lock-timeout", paramLabel = "DURATION", defaultValue = "0", converter = Durations.class,
      description = "Wait up to DURATION for another apply to finish (default: exit at once with code 18).")
  Duration lockTimeout;

  @Option(names = "--backups", paramLabel = "N", defaultValue = "5",
      description = "Numbered backups of replaced configs to keep in STATE_DIR/backups (default: ${DEFAULT-VALUE}).")
  int backups;

  @Option(names = "--lifecycle-hook", paramLabel = "NAME", split = ",",
      description = "Drain before terminate: for every instance a selected Auto Scaling group holds in "
          + "Terminating:Wait by the termination lifecycle hook NAME (repeatable), complete the hook's lifecycle "
          + "action once haproxy has let go of it: no session left and --drain-min passed, or --drain-max reached. "
          + "The instance is drained through --runtime-api meanwhile (no reload). Lifecycle calls come after the "
          + "config work; a failed one exits 23 and is tried again by the next run.")
  List<String> lifecycleHooks = new ArrayList<>();

  @Option(names = "--drain-min", paramLabel = "DURATION", defaultValue = "2m", converter = Durations.class,
      description = "Complete a lifecycle action no sooner than DURATION after this balancer first saw the instance "
          + "waiting (default: ${DEFAULT-VALUE}): long enough for every balancer of the fleet to have drained it, "
          + "i.e. at least the run interval plus --jitter.")
  Duration drainMin;

  @Option(names = "--drain-max", paramLabel = "DURATION", converter = Durations.Positive.class,
      description = "Complete a lifecycle action at the latest DURATION after the instance was first seen waiting, "
          + "cutting the sessions left (default: the hook's heartbeat timeout; longer sends heartbeats).")
  Duration drainMax;

  @Option(names = "--lifecycle-result", paramLabel = "CONTINUE|ABANDON", defaultValue = "CONTINUE",
      description = "The result sent with CompleteLifecycleAction (default: ${DEFAULT-VALUE}); both let a "
          + "terminating instance go, ABANDON also skips the group's other hooks.")
  LifecycleResult lifecycleResult;

  /** The results CompleteLifecycleAction takes. */
  enum LifecycleResult { CONTINUE, ABANDON }

  @Option(names = "--metrics-file", paramLabel = "FILE",
      description = "Write run metrics in Prometheus textfile format to FILE (atomically), e.g. for node_exporter's "
          + "textfile collector (the name must end in .prom there).")
  Path metricsFile;

  @Option(names = "--watch", paramLabel = "INTERVAL", converter = Durations.class,
      description = "Keep running: apply at once and then every INTERVAL (at least 1s; start to start, never "
          + "overlapping; --jitter delays each start), each cycle exactly a one-shot apply with the same options, "
          + "lock taken and released per cycle. A failing cycle never ends the process: its line goes to stderr and "
          + "its exit code to --metrics-file; after consecutive AWS failures the wait doubles, up to 10x INTERVAL. "
          + "AWS clients, credentials (refreshed before they expire) and the parsed template are kept. SIGTERM or "
          + "SIGINT: exit 0, at once when idle, else after the cycle's install and reload; SIGHUP: re-read the "
          + "config file before the next cycle. Each cycle records itself in STATE_DIR/watch.json for 'status'. Give it "
          + "on the command line, as haproxy-sd-watch@.service does: in the config file it would keep the timer's "
          + "oneshot service running.")
  Duration watch;

  @Override
  public Integer call() throws Exception {
    if (backups < 0) {
      throw new ParameterException(root.spec.commandLine(), "--backups must not be negative");
    }
    if (confirmRuns < 0) {
      throw new ParameterException(root.spec.commandLine(), "--confirm-runs must not be negative");
    }
    if (watch != null) {
      return new ApplyWatch(this).run();
    }
    try (RunResources resources = RunResources.perRun()) {
      return run(resources, jitter);
    }
  }

  /**
   * One apply run, as a one-shot {@code apply} does it: its exit code, or the failure that maps to one.
   *
   * @param resources the AWS session and template to use (a watch keeps them across runs)
   * @param jitter how long to wait at random before discovery (a watch waits before each cycle itself)
   */
  int run(RunResources resources, Duration jitter) throws Exception {
    Clock clock = root.clock;
    long start = clock.nanoTime();
    Log log = root.log();
    StateStore state = target.state(log);
    Pipeline pipeline = null;
    ApplyResult result = null;
    Throwable failure = null;
    try {
      ReloadStrategy strategy = reloadStrategy(clock, log);
      if (strategy == null && !dryRun) {
        log.debug("no --reload: a changed config is installed but haproxy is not reloaded");
      }
      RuntimeApi api = RuntimeApiOption.parse(runtimeApi, RUNTIME_TIMEOUT, root.spec);
      LifecycleSettings lifecycle = lifecycle();
      // A dry run writes nothing, not even the S3 inventory's last download.
      pipeline = root.applyPipeline(root.source(source, aws, dryRun ? null : state, resources.aws()), template,
          resources.template(template.template, log), state, target.configFile);
      ApplyReport report = new ApplyReport(log, root.phases);
      try (LifecycleHooks hooks = lifecycle == null ? null
              : LifecycleHooks.open(aws.settings(), resources.aws(), log);
          DrainReports reports = drainReports.open(root.spec, lifecycle != null, resources.aws(), aws.settings(),
              log)) {
        result = pipeline.apply(ApplySettings.builder(target.configFile, state, haproxy.checker())
            .reload(strategy)
            .guards(new Guards(allowEmpty, maxRemoval, confirmRuns, force))
            .backups(backups)
            .lockTimeout(lockTimeout)
            .jitter(jitter)
            .dryRun(dryRun)
            .runtimeApi(api)
            .lifecycle(lifecycle, hooks)
            .drainReports(reports)
            .build(), report);
      }
      if (dryRun) {
        root.out.print(result.plan().unifiedDiff());
        root.out.flush();
        if (result.plan().action() == Plan.Action.RELOAD) {
          log.info(target.configFile + " is already the rendered config but was never recorded as applied: "
              + "apply would reload haproxy");
        } else if (result.outcome() == Outcome.WOULD_CHANGE) {
          log.info(ApplyReport.wouldDo(result, target.configFile, api));
          log.info("dry run: guards and haproxy -c passed; nothing was installed or reloaded");
        }
      } else {
        report.changed(result, target.configFile, strategy == null ? null : strategy.describe());
      }
      if (lifecycle != null && dryRun) {
        log.info("dry run: no lifecycle hook was described, heartbeaten or completed");
      } else if (lifecycle != null) {
        String failed = report.lifecycle(result.lifecycle(), lifecycle, api != null);
        if (failed != null) {
          throw new Failures.CommandFailure(ExitCode.LIFECYCLE_FAILED, failed);
        }
      }
      return ExitCode.OK.code;
    } catch (NoGroupFactsException e) {
      // Known only once the inventory is read, yet a usage error: this source cannot serve --lifecycle-hook.
      failure = new ParameterException(root.spec.commandLine(), "--lifecycle-hook needs an Auto Scaling source: "
          + "the inventory " + (source.inventory.s3() != null ? source.inventory.s3() : source.inventory.file())
          + " carries no Auto Scaling group facts (version 1, or no service "
          + "from a group), so no instance is known to wait for a hook; publish it with 'haproxy-sd discover --asg "
          + "... --publish' (version 2) or drop --lifecycle-hook");
      throw (ParameterException) failure;
    } catch (ApplyFailure e) {
      failure = e;
      if (e.check() != null) {
        e.check().alerts().forEach(a -> root.err.println("haproxy-sd: haproxy: [ALERT] " + a));
      }
      throw e;
    } catch (Exception | Error e) {
      failure = e;
      throw e;
    } finally {
      if (metricsFile != null) {
        writeMetrics(clock, start, state, pipeline, result, failure);
      }
      if (!dryRun && !(failure instanceof LockedException) && !(failure instanceof ParameterException)) {
        recordLastRun(clock, state, failure);
      }
    }
  }

  /** For {@code status}: how this run ended, also when it failed or was refused (state.json records only installs). */
  private void recordLastRun(Clock clock, StateStore state, Throwable failure) {
    Outcome outcome = failure instanceof ApplyFailure a ? a.outcome() : null;
    LastRun run = new LastRun(clock.now(), failure == null ? ExitCode.OK.code : Failures.exitCode(failure).code,
        outcome == null ? null : StatusCommand.name(outcome), failure == null ? null : Failures.message(failure),
        confirmRuns, lifecycleHooks.isEmpty() ? null : drainMin);
    try {
      state.recordLastRun(run);
    } catch (Exception e) {
      root.log().warn("cannot record the run in " + state.dir() + " for status: "
          + Failures.message(e));
    }
  }

  private LifecycleSettings lifecycle() {
    if (lifecycleHooks.isEmpty()) {
      return null;
    }
    if (!source.autoScaling() && source.inventory == null) {
      throw new ParameterException(root.spec.commandLine(), "--lifecycle-hook needs an Auto Scaling source (--asg "
          + "or --asg-tag), or an --inventory that carries its groups");
    }
    if (drainMax != null && drainMax.compareTo(drainMin) < 0) {
      throw new ParameterException(root.spec.commandLine(), "--drain-max " + Durations.format(drainMax)
          + " is shorter than --drain-min " + Durations.format(drainMin));
    }
    return new LifecycleSettings(lifecycleHooks, drainMin, drainMax, lifecycleResult == LifecycleResult.ABANDON);
  }

  private ReloadStrategy reloadStrategy(Clock clock, Log log) {
    if (reload == null) {
      if (masterSocket != null) {
        throw new ParameterException(root.spec.commandLine(), "--master-socket needs --reload");
      }
      return null;
    }
    try {
      return ReloadStrategy.parse(reload, masterSocket, reloadTimeout, ProcessRunner.system(), clock, log);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(root.spec.commandLine(), "--reload " + e.getMessage());
    }
  }

  private void writeMetrics(Clock clock, long start, StateStore state, Pipeline pipeline, ApplyResult result,
      Throwable failure) {
    int code = failure == null ? ExitCode.OK.code : Failures.exitCode(failure).code;
    ApplyFailure stopped = failure instanceof ApplyFailure a ? a : null;
    Outcome outcome = result != null ? result.outcome() : stopped == null ? null : stopped.outcome();
    MetricsTextfile.Run run = new MetricsTextfile.Run(clock.now(), code, outcome,
        Duration.ofNanos(clock.nanoTime() - start),
        pipeline == null ? ApiCalls.NONE : pipeline.apiCalls(),
        pipeline == null ? null : pipeline.discovered().orElse(null),
        pipeline == null ? null : pipeline.discoveredAt().orElse(null),
        result == null ? 0 : result.runtimeChanges(),
        stopped == null ? null : stopped.breaches(),
        dryRun ? null : state.pendingShrink().orElse(null),
        lifecycleHooks.isEmpty() ? null : result == null ? LifecycleReport.NONE : result.lifecycle());
    try {
      MetricsTextfile.write(metricsFile, run);
    } catch (Exception e) {
      root.log().warn("cannot write --metrics-file " + metricsFile + ": " + Failures.message(e));
    }
  }
}
