package dev.haproxysd.haproxy;

import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Log;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How haproxy is reloaded ({@code --reload}) and how the reload is proved, because no trigger's own answer proves
 * anything: 2.6's master CLI {@code reload} prints nothing, and {@code systemctl reload} exits 0 even when the
 * reload failed.
 *
 * <ul>
 *   <li>{@code master-socket:PATH} — master CLI {@code reload};
 *   <li>{@code signal:PIDFILE} — SIGUSR2 to the master-worker master;
 *   <li>{@code command:CMD} — e.g. {@code command:systemctl reload haproxy}.
 * </ul>
 *
 * <p>Proof, in order of strength: with a master socket (the strategy's own, or {@code --master-socket}) {@code show
 * proc} must show the reload counter moved on, {@code [failed: 0]} and a new worker pid; otherwise, when the config
 * has a UNIX {@code stats socket}, a new worker pid must answer {@code show info} there. Then every {@code bind}
 * address of the new config must accept a TCP connection.
 *
 * <pre>{@code
 * ReloadStrategy strategy = ReloadStrategy.parse("master-socket:/run/haproxy-master.sock", null, timeout, runner,
 *     clock, log);
 * ReloadStrategy.Reload reload = strategy.prepare(runningConfig); // before installing: can haproxy be reached?
 * install(newConfig);
 * reload.send();
 * ReloadStrategy.Verified proof = reload.verify(newConfig);      // throws ReloadException
 * }</pre>
 */
public interface ReloadStrategy {
  /**
   * @param spec {@code master-socket:PATH}, {@code signal:PIDFILE} or {@code command:CMD}
   * @param masterSocket a master socket to verify {@code signal:} and {@code command:} reloads through, or null
   * @param timeout how long haproxy may take to come back with a new worker and open its listeners
   * @throws IllegalArgumentException for an unknown kind or an empty argument (the message names the choices)
   */
  static ReloadStrategy parse(String spec, Path masterSocket, Duration timeout, ProcessRunner runner, Clock clock,
      Log log) {
    return VerifiedReload.parse(spec, masterSocket, timeout, runner, clock, log);
  }

  /** E.g. {@code master socket /run/haproxy-master.sock}. */
  String describe();

  /**
   * The master CLI's {@code show proc}, when this strategy knows a master socket; empty otherwise.
   *
   * @throws IOException when the master does not answer
   */
  default java.util.Optional<ProcStatus> processes() throws java.io.IOException {
    return java.util.Optional.empty();
  }

  /**
   * Every worker's sessions (old workers included), when this strategy knows a master socket; empty otherwise.
   */
  default java.util.Optional<WorkerSessions> workerSessions() {
    return java.util.Optional.empty();
  }

  /**
   * Records what the verification compares with (worker pids, reload counter) while haproxy still runs {@code
   * runningConfig}, and checks the reload can be sent at all — call it before anything is installed.
   *
   * @param runningConfig the config haproxy runs now (for its stats socket), or null when unknown
   */
  Reload prepare(String runningConfig) throws ReloadException;

  /** One reload, bound to what {@link #prepare} saw before it. */
  interface Reload {
    /** Sends the reload; the time {@link #verify} may take starts now. */
    void send() throws ReloadException;

    /**
     * Proves haproxy runs {@code newConfig}: a new worker, and every listener answers.
     *
     * @throws ReloadException naming what failed and what to look at
     */
    Verified verify(String newConfig) throws ReloadException;

    default Verified reloadAndVerify(String newConfig) throws ReloadException {
      send();
      return verify(newConfig);
    }
  }

  /**
   * What proved a reload.
   *
   * @param workers e.g. {@code worker [123] -> [456]}
   * @param listeners how many listeners accepted a connection
   * @param workerProved false when neither a master socket nor a stats socket could show a new worker, so only the
   *     listeners were checked
   */
  record Verified(String workers, int listeners, boolean workerProved) {
    /** E.g. {@code worker [123] -> [456], 2 listeners answer}. */
    @Override
    public String toString() {
      return workers + ", " + listeners + (listeners == 1 ? " listener answers" : " listeners answer");
    }
  }
}
