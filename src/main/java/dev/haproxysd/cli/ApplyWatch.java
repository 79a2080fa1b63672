package dev.haproxysd.cli;

import dev.haproxysd.model.Log;
import dev.haproxysd.state.WatchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.ParameterException;

/**
 * {@code apply --watch}: runs {@link ApplyCommand#run} on the {@link WatchLoop}'s schedule with {@link RunResources}
 * kept across cycles, under {@link WatchSignals}. A cycle's failure is its one stderr line and exit code, as a
 * one-shot would end; the process goes on. SIGHUP re-reads the command line over a freshly read config file; a file
 * that does not read keeps the settings in use, said once per SIGHUP. Each cycle is recorded in {@code watch.json}.
 */
final class ApplyWatch {
  private final HaproxySdCommand root;
  private final long pid = ProcessHandle.current().pid();
  private ApplyCommand apply;
  private Instant startedAt;
  private boolean recordFailed;

  ApplyWatch(ApplyCommand apply) {
    this.root = apply.root;
    this.apply = apply;
  }

  int run() {
    if (apply.watch.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new ParameterException(root.spec.commandLine(), "--watch " + Durations.format(apply.watch)
          + ": the interval must be at least 1s");
    }
    if (apply.dryRun) {
      throw new ParameterException(root.spec.commandLine(), "--watch and --dry-run do not go together: a dry run "
          + "changes nothing to watch");
    }
    startedAt = root.clock.now();
    try (RunResources resources = RunResources.kept()) {
      WatchLoop loop = new WatchLoop(apply.watch, apply.jitter, root.clock,
          bound -> ThreadLocalRandom.current().nextLong(bound), this::reread, () -> cycle(resources), this::finished);
      root.log().info("watching: apply every " + Durations.format(apply.watch)
          + (apply.jitter.isZero() ? "" : " (plus up to " + Durations.format(apply.jitter) + " jitter)")
          + "; SIGTERM ends it, SIGHUP re-reads the config file");
      root.watching.started(loop);
      WatchSignals signals = WatchSignals.install(loop);
      try {
        return loop.run();
      } finally {
        signals.close();
      }
    }
  }

  private int cycle(RunResources resources) {
    try {
      return apply.run(resources, Duration.ZERO);
    } catch (Exception | Error e) {
      root.err.println("haproxy-sd: " + Failures.message(e));
      if (apply.root.verbose) {
        e.printStackTrace(root.err);
      }
      return Failures.exitCode(e).code;
    } finally {
      root.err.flush();
    }
  }

  /** SIGHUP: the command line again, over the config file as it reads now; the command line still wins. */
  private void reread() {
    Log log = apply.root.log();
    try {
      apply = root.reread.get();
      log.info("SIGHUP: re-read the config file; the next cycle uses it");
    } catch (ParameterException e) {
      log.warn("SIGHUP: cannot re-read the settings (" + e.getMessage().replaceAll("\\R", " ")
          + "): keeping the previous ones");
    }
  }

  private void finished(WatchLoop.Finished cycle) {
    WatchStatus status = new WatchStatus(pid, startedAt, apply.watch, cycle.number(), cycle.startedAt(),
        cycle.finishedAt(), cycle.exitCode(), cycle.awsFailuresInARow(), cycle.nextAt());
    try {
      apply.target.state(apply.root.log()).recordWatch(status);
      recordFailed = false;
    } catch (Exception e) {
      if (!recordFailed) {
        apply.root.log().warn("cannot record the watch in " + apply.target.stateDir.stateDir + " for status: "
            + Failures.message(e) + " (said once until it works again)");
      }
      recordFailed = true;
    }
    root.watching.finished(cycle);
  }
}
