package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haproxysd.haproxy.ReloadStrategy;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.pipeline.ApplyResult;
import dev.haproxysd.pipeline.GuardBreaches;
import dev.haproxysd.pipeline.Outcome;
import dev.haproxysd.pipeline.Plan;
import dev.haproxysd.render.Rendered;
import dev.haproxysd.testing.RecordingLog;
import dev.haproxysd.state.QuarantinedConfig;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The pipeline reports facts; these are the words (and the options) an operator reads on stderr. */
class ApplyReportTest {
  private static final Path TARGET = Path.of("/etc/haproxy/haproxy.cfg");
  private final RecordingLog log = new RecordingLog();
  private final ApplyReport report = new ApplyReport(log, dev.haproxysd.pipeline.RunObserver.NONE);

  @Test
  void aRefusal_namesWhatWouldGoAndTheOptionsThatPermitIt() {
    GuardBreaches breaches = new GuardBreaches(List.of(new GuardBreaches.Emptied("api", 1)),
        new GuardBreaches.Shrink(3, 4, 50, GuardBreaches.Kind.UNCONFIRMED, List.of(),
            new GuardBreaches.Sighting(1, 3, Instant.parse("2026-01-01T00:00:00.250Z"))),
        List.of("api/i-9", "web/i-2"), 1);
    assertEquals("guard refused: service api had 1 server and would have none (--allow-empty permits it); 3 of 4 "
        + "servers (75%) would be removed by a source without desired capacity, more than --max-removal 50%; seen "
        + "in 1 of 3 consecutive runs since 2026-01-01T00:00:00Z (--confirm-runs) (removed: api/i-9 web/i-2 and 1 "
        + "more); nothing was written or reloaded (check discovery; --force applies it once)",
        ApplyReport.refused(breaches));
  }

  @Test
  void aRefusalOfServersTheirGroupStillWants_namesTheGroupsAndWhatTheyWant() {
    GuardBreaches breaches = new GuardBreaches(List.of(), new GuardBreaches.Shrink(4, 6, 50,
        GuardBreaches.Kind.UNEXPLAINED, List.of(new GuardBreaches.Shortfall("web", "", 6, 2)), null),
        List.of("web/i-1", "web/i-2", "web/i-3", "web/i-4"), 0);
    assertEquals("guard refused: 4 of 6 servers (66%) are missing while their Auto Scaling group still wants them "
        + "(web wants 6, would serve 2), more than --max-removal 50%: instances died, a partial answer, or a "
        + "selection or tag typo (removed: web/i-1 web/i-2 web/i-3 web/i-4); nothing was written or reloaded "
        + "(check discovery; --force applies it once)", ApplyReport.refused(breaches));
  }

  @Test
  void aQuarantinedConfig_isOneLineWithTimeAndReason() {
    assertEquals("still the config that failed at 2026-01-01T00:01:00Z: reload failed: [failed: 1]; change the "
        + "inputs or use --force", ApplyReport.quarantined(new QuarantinedConfig(new Rendered("x").sha256(),
        Instant.parse("2026-01-01T00:01:00.123Z"), "reload failed:\n[failed: 1]")));
  }

  @Test
  void forcedAndUncheckedGuards_areWarnings() {
    report.guardsUnchecked();
    report.guardsOverridden(new GuardBreaches(List.of(), new GuardBreaches.Shrink(2, 2, 50,
        GuardBreaches.Kind.UNCONFIRMED, List.of(), new GuardBreaches.Sighting(1, 0, Instant.EPOCH)),
        List.of("w/a", "w/b"), 0));
    assertEquals(List.of(
        "warning: no recorded inventory to compare with: the empty and --max-removal guards cannot check this run",
        "warning: --force: applying although 2 of 2 servers (100%) would be removed "
            + "by a source without desired capacity, more than --max-removal 50%; --confirm-runs 0 never applies it "
            + "(removed: w/a w/b)"), log.lines());
  }

  @Test
  void installedWithoutAReload_saysSoAndWhy() {
    report.changed(new ApplyResult(plan(), Outcome.INSTALLED, null, null, 0), TARGET, null);
    String sha = new Rendered("new\n").sha256().shortHex();
    assertEquals(List.of(
        "info: runtime changes: 0, reload: no (no --reload given; no config is installed yet)",
        "info: installed " + TARGET + " (sha256 " + sha + "); no --reload given: haproxy was NOT reloaded"),
        log.lines());
  }

  @Test
  void aReloadThatCouldNotProveTheWorker_pointsAtTheMasterSocket() {
    report.changed(new ApplyResult(plan(), Outcome.INSTALLED_AND_RELOADED, null,
        new ReloadStrategy.Verified("worker unverified", 1, false), 0), TARGET, "signal /run/haproxy.pid");
    String sha = new Rendered("new\n").sha256().shortHex();
    assertEquals(List.of(
        "warning: cannot prove the reload took effect (no master socket, no stats socket in the config): checked "
            + "the listeners only; pass --master-socket PATH",
        "info: runtime changes: 0, reload: yes (no config is installed yet)",
        "info: installed " + TARGET + " (sha256 " + sha + "), reloaded via signal /run/haproxy.pid: worker "
            + "unverified, 1 listener answers"), log.lines());
  }

  private static Plan plan() {
    return new Plan(TARGET, null, new Rendered("new\n"), new Inventory(List.of()), null, null);
  }
}
