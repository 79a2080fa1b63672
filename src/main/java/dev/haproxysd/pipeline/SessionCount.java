package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.HardStopAfter;
import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.haproxy.RuntimeApi.ServerStatus;
import dev.haproxysd.haproxy.WorkerSessions;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Server;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * What haproxy holds of a leaving instance, asked once per run. The current worker's runtime API says whether
 * haproxy still sends it new connections; the sessions are counted over every worker through the master CLI, old
 * workers of earlier reloads included. Without a master socket the old workers cannot be asked: the current
 * worker's count stands, and {@link #oldWorkersGoneBy} says when the last old worker has surely gone ({@code
 * hard-stop-after} after the current worker started, i.e. after the last reload).
 */
final class SessionCount {
  private final RuntimeApi runtimeApi;
  private final Optional<WorkerSessions> workers;
  private final String installedConfig;
  private final Instant lastReloadMade;
  private final Log log;
  private Haproxy haproxy;
  private Optional<Instant> oldWorkersGone;

  /**
   * @param runtimeApi the current worker's runtime API, or null: sessions unknown
   * @param workers every worker's sessions (a master socket), or empty
   * @param installedConfig the config haproxy runs (for its {@code hard-stop-after}), or null when unknown
   * @param lastReloadMade when this tool last reloaded haproxy, or null
   */
  SessionCount(RuntimeApi runtimeApi, Optional<WorkerSessions> workers, String installedConfig, Instant lastReloadMade,
      Log log) {
    this.runtimeApi = runtimeApi;
    this.workers = workers;
    this.installedConfig = installedConfig;
    this.lastReloadMade = lastReloadMade;
    this.log = log;
  }

  boolean blind() {
    return runtimeApi == null;
  }

  /** True when old workers are counted (a master socket): no wait for {@code hard-stop-after}. */
  boolean countsOldWorkers() {
    return workers.isPresent();
  }

  /**
   * What haproxy holds of an instance.
   *
   * @param count sessions over every server at its address and port, over every worker that could be asked; -1
   *     when unknown
   * @param released haproxy sends it no new connection (every such server drains, is in maintenance or weighs 0)
   */
  record Sessions(int count, boolean released) {
    static final Sessions UNKNOWN = new Sessions(-1, false);

    boolean none() {
      return count == 0 && released;
    }
  }

  /** Sessions the current worker holds on every server at {@code server}'s address and port. */
  static int atAddress(Server server, Map<String, ServerStatus> servers, Map<String, Integer> sessions) {
    int count = 0;
    for (ServerStatus status : servers.values()) {
      if (status.at(server.address(), server.port())) {
        count += sessions.getOrDefault(status.id(), 0);
      }
    }
    return count;
  }

  Sessions of(Server server) {
    Haproxy now = blind() ? null : haproxy();
    if (now == null) {
      return Sessions.UNKNOWN;
    }
    int current = 0;
    boolean released = true;
    for (ServerStatus status : now.servers().values()) {
      if (status.at(server.address(), server.port())) {
        current += now.sessions() == null ? 0 : now.sessions().getOrDefault(status.id(), 0);
        released &= status.maint() || status.effectiveWeight() == 0;
      }
    }
    int count = now.snapshot() == null ? current : now.snapshot().at(server.address(), server.port());
    return new Sessions(count, released);
  }

  /**
   * Without a master socket: when every old worker has surely gone ({@code hard-stop-after} after the last reload
   * this tool made or saw); {@link Instant#MAX} when the config sets no {@code hard-stop-after} (old workers may live
   * on: only {@code --drain-max} completes); empty when old workers are counted or no reload is known.
   */
  Optional<Instant> oldWorkersGoneBy() {
    if (oldWorkersGone == null) {
      oldWorkersGone = countsOldWorkers() ? Optional.empty() : lastReload().map(reload ->
          HardStopAfter.of(installedConfig == null ? "" : installedConfig).map(reload::plus).orElse(Instant.MAX));
    }
    return oldWorkersGone;
  }

  /** The config's {@code hard-stop-after}, for messages. */
  Optional<Duration> hardStopAfter() {
    return HardStopAfter.of(installedConfig == null ? "" : installedConfig);
  }

  private Optional<Instant> lastReload() {
    Instant seen = null;
    if (runtimeApi != null) {
      try {
        // a reload (anyone's) starts a new worker; show info's whole second is rounded down
        seen = runtimeApi.worker().startedAt().plusSeconds(1);
      } catch (IOException e) {
        log.debug("lifecycle: cannot ask the " + runtimeApi.describe() + " when its worker started: "
            + e.getMessage());
      }
    }
    if (seen == null || lastReloadMade != null && lastReloadMade.isAfter(seen)) {
      seen = lastReloadMade;
    }
    return Optional.ofNullable(seen);
  }

  private record Haproxy(Map<String, ServerStatus> servers, Map<String, Integer> sessions,
      WorkerSessions.Snapshot snapshot) {}

  private Haproxy haproxy() {
    if (haproxy == null) {
      try {
        Map<String, ServerStatus> servers = runtimeApi.serversState();
        haproxy = workers.isPresent() ? new Haproxy(servers, null, workers.get().snapshot())
            : new Haproxy(servers, runtimeApi.sessions(), null);
      } catch (IOException e) {
        log.warn("lifecycle: cannot read sessions through the " + (workers.isPresent() ? workers.get().describe()
            + " and the " : "") + runtimeApi.describe() + " (" + e.getMessage()
            + "): waiting instances complete at the drain maximum only");
        haproxy = new Haproxy(null, null, null);
      }
    }
    return haproxy.servers() == null ? null : haproxy;
  }
}
