package dev.haproxysd.haproxy;

import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Log;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The reload strategies behind {@link ReloadStrategy#parse}: a trigger plus the verification. */
final class VerifiedReload implements ReloadStrategy {
  private static final Duration POLL = Duration.ofMillis(100);

  private final Trigger trigger;
  private final MasterCli master;
  private final Duration timeout;
  private final Clock clock;
  private final Log log;

  private VerifiedReload(Trigger trigger, MasterCli master, Duration timeout, Clock clock, Log log) {
    this.trigger = trigger;
    this.master = master;
    this.timeout = timeout;
    this.clock = clock;
    this.log = log;
  }

  /**
   * @param spec {@code master-socket:PATH}, {@code signal:PIDFILE} or {@code command:CMD}
   * @param masterSocket a master socket to verify {@code signal:} and {@code command:} reloads through, or null
   * @param timeout how long haproxy may take to come back with a new worker and open its listeners
   * @throws IllegalArgumentException for an unknown kind or an empty argument (the message names the choices)
   */
  static ReloadStrategy parse(String spec, Path masterSocket, Duration timeout, ProcessRunner runner,
      Clock clock, Log log) {
    int colon = spec.indexOf(':');
    String kind = colon < 0 ? spec : spec.substring(0, colon);
    String argument = colon < 0 ? "" : spec.substring(colon + 1).strip();
    if (argument.isEmpty()) {
      throw new IllegalArgumentException(spec + ": expected master-socket:PATH, signal:PIDFILE or command:CMD");
    }
    switch (kind) {
      case "master-socket": {
        MasterCli cli = new MasterCli(Path.of(argument));
        return new VerifiedReload(Trigger.masterCli(cli), cli, timeout, clock, log);
      }
      case "signal":
        return new VerifiedReload(Trigger.signal(Path.of(argument), runner),
            masterSocket == null ? null : new MasterCli(masterSocket), timeout, clock, log);
      case "command":
        return new VerifiedReload(Trigger.command(argument, runner),
            masterSocket == null ? null : new MasterCli(masterSocket), timeout, clock, log);
      default:
        throw new IllegalArgumentException(spec + ": unknown kind '" + kind
            + "' (expected master-socket:PATH, signal:PIDFILE or command:CMD)");
    }
  }

  @Override
  public String describe() {
    return trigger.describe();
  }

  @Override
  public java.util.Optional<ProcStatus> processes() throws IOException {
    return master == null ? java.util.Optional.empty() : java.util.Optional.of(master.showProc());
  }

  @Override
  public java.util.Optional<WorkerSessions> workerSessions() {
    return master == null ? java.util.Optional.empty() : java.util.Optional.of(new WorkerSessions(master));
  }

  /**
   * Records what the verification compares with (worker pids, reload counter) while haproxy still runs {@code
   * runningConfig}, and checks the reload can be sent at all — before anything is installed.
   *
   * @param runningConfig the config haproxy runs now (for its stats socket), or null when unknown
   */
  @Override
  public Reload prepare(String runningConfig) throws ReloadException {
    trigger.check();
    if (master != null) {
      try {
        return new PreparedReload(master.showProc(), null, null);
      } catch (IOException e) {
        throw new ReloadException("cannot ask haproxy's master socket for 'show proc': " + e.getMessage()
            + " (is haproxy running in master-worker mode with -S " + master.socket() + "?)", e);
      }
    }
    StatsSocket stats = runningConfig == null ? null : StatsSocket.of(runningConfig);
    Integer pid = null;
    if (stats != null) {
      try {
        pid = stats.workerPid();
      } catch (IOException e) {
        log.debug("stats socket before the reload: " + e.getMessage());
      }
    }
    return new PreparedReload(null, stats, pid);
  }

  /** One reload, bound to what {@link #prepare} saw before it. */
  private final class PreparedReload implements Reload {
    private final ProcStatus before;
    private final StatsSocket statsBefore;
    private final Integer pidBefore;

    private PreparedReload(ProcStatus before, StatsSocket statsBefore, Integer pidBefore) {
      this.before = before;
      this.statsBefore = statsBefore;
      this.pidBefore = pidBefore;
    }

    private Clock.Deadline deadline;

    @Override
    public void send() throws ReloadException {
      deadline = clock.deadline(timeout);
      trigger.fire();
    }

    @Override
    public Verified verify(String newConfig) throws ReloadException {
      if (deadline == null) {
        throw new IllegalStateException("verify before send");
      }
      try {
        String workers;
        boolean proved = true;
        if (before != null) {
          workers = verifyThroughMaster(deadline);
        } else {
          StatsSocket stats = StatsSocket.of(newConfig);
          if (stats == null) {
            stats = statsBefore;
          }
          if (stats != null) {
            workers = verifyThroughStats(stats, deadline);
          } else {
            workers = "worker unverified";
            proved = false;
          }
        }
        List<Listeners.Listener> listeners = Listeners.of(newConfig);
        List<String> unreachable = Listeners.unreachable(listeners, deadline, clock);
        if (!unreachable.isEmpty()) {
          throw new ReloadException("haproxy reloaded but " + unreachable.size() + " of " + listeners.size()
              + " listeners do not accept connections: " + String.join(", ", unreachable));
        }
        return new Verified(workers, listeners.size(), proved);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ReloadException("interrupted while verifying the reload", e);
      }
    }

    private String verifyThroughMaster(Clock.Deadline deadline) throws ReloadException, InterruptedException {
      ProcStatus after = null;
      String lastError = null;
      while (after == null || after.reloads() <= before.reloads()) {
        if (deadline.passed()) {
          throw new ReloadException("haproxy's master did not report the reload within " + timeout.toMillis()
              + " ms on " + master.socket() + (lastError == null ? "" : " (" + lastError + ")"));
        }
        clock.sleep(POLL);
        try {
          after = master.showProc();
        } catch (IOException e) {
          lastError = e.getMessage(); // the master is re-executing itself; ask again
        }
      }
      if (after.failed() > 0) {
        throw new ReloadException("haproxy rejected the reload (master " + after.masterPid() + " reports [failed: "
            + after.failed() + "], the old worker keeps running; haproxy's own log has the [ALERT])");
      }
      if (!before.hasNewWorkerIn(after)) {
        throw new ReloadException("haproxy's master reloaded but no new worker appeared (workers before "
            + before.workerPids() + ", after " + after.workerPids() + ")");
      }
      List<Integer> fresh = after.workerPids().stream().filter(p -> !before.workerPids().contains(p)).toList();
      return "worker " + before.workerPids() + " -> " + fresh;
    }

    private String verifyThroughStats(StatsSocket stats, Clock.Deadline deadline)
        throws ReloadException, InterruptedException {
      String lastError = null;
      Integer pid = null;
      while (true) {
        try {
          pid = stats.workerPid();
          if (pidBefore == null || pid.intValue() != pidBefore.intValue()) {
            return "worker " + (pidBefore == null ? "?" : pidBefore) + " -> " + pid;
          }
        } catch (IOException e) {
          lastError = e.getMessage();
        }
        if (deadline.passed()) {
          throw new ReloadException("no new worker answered on the stats socket " + stats.socket() + " within "
              + timeout.toMillis() + " ms (" + (pid != null ? "pid " + pid + " still answers" : lastError)
              + "): the reload did not take effect");
        }
        clock.sleep(POLL);
      }
    }
  }
}
