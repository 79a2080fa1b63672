package dev.haproxysd.pipeline;

import dev.haproxysd.fleet.DrainReport;
import dev.haproxysd.fleet.DrainReports;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fleet's rule for a lifecycle action: every live balancer has drained the instance. A live balancer blocks
 * while its report does not list the instance (it has not drained it yet), lists it with sessions left, or cannot be
 * read; a balancer whose report left the liveness window does not count (it is gone).
 */
final class FleetRule {
  private FleetRule() {}

  /**
   * @param blocking the live balancers that have not drained it, with why, e.g. {@code lb-b (1 session)}
   * @param sessions sessions the other balancers report on it, by balancer (-1: they cannot count them)
   */
  record Verdict(List<String> blocking, Map<String, Integer> sessions) {
    /** This balancer alone (no drain reports): nothing else to wait for. */
    static final Verdict ALONE = new Verdict(List.of(), Map.of());

    Verdict {
      blocking = List.copyOf(blocking);
      sessions = Map.copyOf(sessions);
    }

    static Verdict unknown(String why) {
      return new Verdict(List.of(why), Map.of());
    }

    boolean drained() {
      return blocking.isEmpty();
    }
  }

  static Verdict judge(String group, String instance, List<DrainReports.Live> others) {
    List<String> blocking = new ArrayList<>();
    Map<String, Integer> sessions = new LinkedHashMap<>();
    for (DrainReports.Live live : others) {
      if (live.report() == null) {
        blocking.add(live.balancer() + " (unreadable report)");
        continue;
      }
      DrainReport.Draining entry = live.report().entry(group, instance);
      if (entry == null) {
        blocking.add(live.balancer() + " (not draining it yet)");
        continue;
      }
      if (entry.sessions() != 0) {
        sessions.put(live.balancer(), entry.sessions());
      }
      if (!entry.drained()) {
        blocking.add(live.balancer() + " (" + (entry.sessions() < 0 ? "sessions uncounted"
            : entry.sessions() + (entry.sessions() == 1 ? " session" : " sessions")) + ")");
      }
    }
    return new Verdict(blocking, sessions);
  }
}
