package dev.haproxysd.pipeline;

import dev.haproxysd.fleet.DrainReport;
import dev.haproxysd.fleet.DrainReportException;
import dev.haproxysd.fleet.DrainReports;
import dev.haproxysd.model.Log;
import dev.haproxysd.state.StateStore;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run's exchange of drain reports: write this balancer's report when it changed, is older than a third of the
 * liveness window, or an instance waits; then, only while an instance waits, read the other live balancers'. A
 * failed request is a {@link LifecycleReport.Failure} and leaves every waiting instance blocked for this run.
 */
final class DrainFleet {
  private final DrainReports reports;
  private final StateStore store;
  private final Log log;

  DrainFleet(DrainReports reports, StateStore store, Log log) {
    this.reports = reports;
    this.store = store;
    this.log = log;
  }

  /**
   * What the other balancers said.
   *
   * @param read whether the others' reports were read (only while an instance waits)
   * @param others the live reports read
   * @param failure the request that failed, or null
   */
  record View(boolean read, List<DrainReports.Live> others, LifecycleReport.Failure failure) {
    FleetRule.Verdict verdict(String group, String instance) {
      return failure != null ? FleetRule.Verdict.unknown("drain reports unavailable")
          : FleetRule.judge(group, instance, others);
    }
  }

  /**
   * @param mine what this balancer drains now
   * @param waiting whether an instance waits for completion (only then are the others read)
   */
  View exchange(List<DrainReport.Draining> mine, boolean waiting, Instant now) {
    try {
      publish(new DrainReport(reports.self(), now, mine), waiting);
      if (!waiting) {
        return new View(false, List.of(), null);
      }
      List<DrainReports.Live> others = reports.others(now);
      log.debug("drain reports: " + others.size() + " other live balancer" + (others.size() == 1 ? "" : "s")
          + " in " + reports.location());
      return new View(true, others, null);
    } catch (DrainReportException e) {
      return new View(false, List.of(), new LifecycleReport.Failure(e.iamAction(), e.getMessage()));
    }
  }

  private void publish(DrainReport report, boolean waiting) {
    Optional<DrainReport> last = lastWritten();
    boolean same = last.isPresent() && last.get().draining().equals(report.draining());
    boolean fresh = last.isPresent() && Duration.between(last.get().written(), report.written())
        .compareTo(reports.liveness().dividedBy(3)) < 0 && !last.get().written().isAfter(report.written());
    if (!waiting && same && fresh) {
      log.debug("drain reports: this balancer's report is unchanged and fresh: not written");
      return;
    }
    byte[] json = report.json();
    reports.publish(report);
    try {
      store.recordDrainReport(json);
    } catch (IOException e) {
      log.warn("cannot remember the drain report in " + store.dir() + " (" + e.getMessage() + "): the next run "
          + "writes it again");
    }
  }

  private Optional<DrainReport> lastWritten() {
    return store.lastDrainReport().flatMap(json -> {
      try {
        return Optional.of(DrainReport.parse(json, reports.self()));
      } catch (IllegalArgumentException e) {
        log.debug("drain reports: the remembered report is unreadable (" + e.getMessage() + "): written again");
        return Optional.empty();
      }
    });
  }
}
