package dev.haproxysd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.haproxysd.discovery.Source;
import dev.haproxysd.haproxy.CheckResult;
import dev.haproxysd.haproxy.ConfigCheck;
import dev.haproxysd.haproxy.ReloadException;
import dev.haproxysd.haproxy.ReloadStrategy;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import dev.haproxysd.render.TemplateEngine;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.StateStore;
import dev.haproxysd.testing.FakeClock;
import dev.haproxysd.testing.HaproxyInstance;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The apply run on Jimfs, with recording stand-ins for our own two seams (the validator and the reload strategy):
 * the order of check, keep, rename, reload and record, and what each failure leaves behind. The real haproxy
 * behind those seams is exercised in {@code ApplyWithHaproxyTest}.
 */
class ApplyRunTest {
  private static final String OLD = "# the config haproxy runs now\n";

  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final Path target = fs.getPath("/etc/haproxy/haproxy.cfg");
  private final Path stateDir = fs.getPath("/var/lib/haproxy-sd");
  private final FakeClock clock = new FakeClock();
  private final List<String> events = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Log log = new Log() {
    @Override
    public void debug(String message) {}

    @Override
    public void info(String message) {
      events.add("info " + message);
    }

    @Override
    public void warn(String message) {
      warnings.add(message);
    }
  };
  private boolean valid = true;
  private int reloadFailures;
  private boolean prepareFails;
  private final Map<String, String> labels = new TreeMap<>();

  @BeforeEach
  void etcHaproxyExists() throws IOException {
    Files.createDirectories(target.getParent());
  }

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  @Test
  void install_checksTheCandidateNextToTheTarget_keepsTheOldFile_renames_reloads_thenRecords() throws IOException {
    Files.writeString(target, OLD);
    Pipeline pipeline = pipeline(inventory(1));
    label(pipeline, "NEW");

    ApplyResult result = pipeline.apply(settings(reloader()));

    assertEquals(Outcome.INSTALLED_AND_RELOADED, result.outcome());
    assertEquals(List.of(
        "prepare running=OLD",
        "check in /etc/haproxy: candidate=NEW target=OLD",
        "reload NEW: target=NEW lastKnownGood=OLD state=none"), withoutInfo());
    AppliedState state = store().load(target).state().orElseThrow();
    assertEquals(sha(content(target)), state.configSha256());
    assertEquals(AppliedState.Result.APPLIED, state.outcome());
    assertTrue(state.reloaded());
    assertEquals(OLD, Files.readString(stateDir.resolve("backups/haproxy.cfg.1")));
    assertEquals(List.of(), leftovers());
  }

  @Test
  void rejectedByHaproxyCheck_installsNothing_keepsNothing_recordsNothing() throws IOException {
    Files.writeString(target, OLD);
    valid = false;

    ApplyFailure failure = assertThrows(ApplyFailure.class, () -> pipeline(inventory(1)).apply(settings(reloader())));

    assertEquals(Outcome.REJECTED, failure.outcome());
    assertEquals(OLD, Files.readString(target));
    assertEquals(List.of(), leftovers(), "the candidate is deleted");
    assertFalse(Files.exists(stateDir.resolve("state.json")));
    assertFalse(Files.exists(stateDir.resolve("last-known-good.cfg")));
    assertTrue(withoutInfo().stream().noneMatch(e -> e.startsWith("reload")), events.toString());
  }

  @Test
  void failedReload_restoresTheLastKnownGood_reloadsIt_andRecordsTheRollback() throws IOException {
    Files.writeString(target, OLD);
    reloadFailures = 1;
    Pipeline pipeline = pipeline(inventory(1));
    label(pipeline, "NEW");

    ApplyFailure failure = assertThrows(ApplyFailure.class, () -> pipeline.apply(settings(reloader())));

    assertEquals(Outcome.ROLLED_BACK, failure.outcome());
    assertTrue(failure.getMessage().contains("boom 1") && failure.getMessage().contains("restored"),
        failure.getMessage());
    assertEquals(List.of(
        "prepare running=OLD",
        "check in /etc/haproxy: candidate=NEW target=OLD",
        "reload NEW: target=NEW lastKnownGood=OLD state=none",
        "prepare running=NEW",
        "reload OLD: target=OLD lastKnownGood=OLD state=none"), withoutInfo());
    AppliedState state = store().load(target).state().orElseThrow();
    assertEquals(AppliedState.Result.ROLLED_BACK, state.outcome());
    assertEquals(sha(OLD.getBytes(StandardCharsets.UTF_8)), state.configSha256());
    assertEquals(pipeline.render().sha256(), state.failedSha256());
  }

  @Test
  void failedReloadAndFailedRollback_leavesTheOldFile_andSaysSo() throws IOException {
    Files.writeString(target, OLD);
    reloadFailures = 2;

    ApplyFailure failure = assertThrows(ApplyFailure.class, () -> pipeline(inventory(1)).apply(settings(reloader())));

    assertEquals(Outcome.ROLLBACK_FAILED, failure.outcome());
    assertTrue(failure.getMessage().contains("boom 1") && failure.getMessage().contains("boom 2"),
        failure.getMessage());
    assertEquals(OLD, Files.readString(target));
    assertEquals(AppliedState.Result.ROLLBACK_FAILED, store().load(target).state().orElseThrow().outcome());
  }

  @Test
  void haproxyUnreachableBeforeInstall_installsNothing() throws IOException {
    Files.writeString(target, OLD);
    prepareFails = true;

    ApplyFailure failure = assertThrows(ApplyFailure.class, () -> pipeline(inventory(1)).apply(settings(reloader())));

    assertEquals(Outcome.ROLLED_BACK, failure.outcome());
    assertTrue(failure.getMessage().endsWith("nothing was installed"), failure.getMessage());
    assertEquals(OLD, Files.readString(target));
  }

  @Test
  void unchangedSecondRun_writesNothingAndDoesNotReload() throws IOException {
    pipeline(inventory(2)).apply(settings(reloader()));
    Map<String, String> before = snapshot();
    events.clear();
    warnings.clear();

    ApplyResult again = pipeline(inventory(2)).apply(settings(reloader()));

    assertEquals(Outcome.UNCHANGED, again.outcome());
    assertEquals(List.of(), events);
    assertEquals(before, snapshot());
    assertEquals(List.of(), warnings);
  }

  @Test
  void corruptState_isAWarning_comparesWithTheInstalledFile_andIsRewritten() throws IOException {
    pipeline(inventory(1)).apply(settings(reloader()));
    Files.writeString(stateDir.resolve("state.json"), "{\"version\": 1, \"configSha256\": tru");
    events.clear();

    ApplyResult result = pipeline(inventory(1)).apply(settings(reloader()));

    assertEquals(Outcome.UNCHANGED, result.outcome());
    assertEquals(List.of(), events, "the installed file matches: no reload");
    assertTrue(warnings.stream().anyMatch(w -> w.startsWith("ignoring corrupt state file")), warnings.toString());
    assertEquals(AppliedState.Result.APPLIED, store().load(target).state().orElseThrow().outcome());
  }

  @Test
  void killedBetweenRenameAndReload_nextRunReloadsWithoutWritingTheConfig() throws IOException {
    pipeline(inventory(1)).apply(settings(reloader()));
    Pipeline next = pipeline(inventory(2));
    // What a run killed right after its rename leaves: the new file in place, the state still naming the old one.
    byte[] stateBefore = Files.readAllBytes(stateDir.resolve("state.json"));
    Files.write(stateDir.resolve("last-known-good.cfg"), content(target));
    Files.writeString(target, next.render().text());
    Object inode = Files.readAttributes(target, BasicFileAttributes.class).fileKey();
    assertTrue(Files.readString(stateDir.resolve("state.json")).equals(new String(stateBefore, StandardCharsets.UTF_8)));
    label(next, "NEW");
    events.clear();

    ApplyResult result = next.apply(settings(reloader()));

    assertEquals(Plan.Action.RELOAD, result.plan().action());
    assertEquals(Outcome.RELOADED, result.outcome());
    assertTrue(withoutInfo().stream().noneMatch(e -> e.startsWith("check")), "not installed again: " + events);
    assertEquals(inode, Files.readAttributes(target, BasicFileAttributes.class).fileKey());
    assertEquals(next.render().sha256(), store().load(target).state().orElseThrow().configSha256());
  }

  @Test
  void candidateLeftByAKilledRun_isRemovedUnderTheLock() throws IOException {
    Path leftover = target.getParent().resolve(".haproxy.cfg.123456.tmp");
    Files.writeString(leftover, "half a conf");
    Path unrelated = target.getParent().resolve(".other.cfg.1.tmp");
    Files.writeString(unrelated, "not ours");

    pipeline(inventory(1)).apply(settings(reloader()));

    assertFalse(Files.exists(leftover));
    assertTrue(Files.exists(unrelated));
    assertTrue(warnings.stream().anyMatch(w -> w.startsWith("removed " + leftover)), warnings.toString());
  }

  @Test
  void withoutReload_installsRecordsAndSaysHaproxyWasNotReloaded() throws IOException {
    ApplyResult result = pipeline(inventory(1)).apply(settings(null));

    assertEquals(Outcome.INSTALLED, result.outcome());
    assertTrue(events.stream().noneMatch(e -> e.startsWith("reload ")), events.toString());
    assertFalse(store().load(target).state().orElseThrow().reloaded());
    assertEquals(Outcome.UNCHANGED, pipeline(inventory(1)).apply(settings(null)).outcome());
  }

  @Test
  void backups_keepTheNewestReplacedConfigsFirst() throws IOException {
    List<String> installed = new ArrayList<>();
    for (int servers = 1; servers <= 4; servers++) {
      Pipeline p = pipeline(inventory(servers));
      installed.add(p.render().text());
      p.apply(ApplySettings.builder(target, store(), validator()).reload(reloader())
          .guards(new Guards(false, 100, 3, false)).backups(2).build());
    }
    assertEquals(installed.get(2), Files.readString(stateDir.resolve("backups/haproxy.cfg.1")));
    assertEquals(installed.get(1), Files.readString(stateDir.resolve("backups/haproxy.cfg.2")));
    assertFalse(Files.exists(stateDir.resolve("backups/haproxy.cfg.3")));
    assertEquals(installed.get(2), Files.readString(stateDir.resolve("last-known-good.cfg")));
  }

  @Test
  void dryRun_takesNoLockAndWritesNothing() throws IOException {
    Files.writeString(target, OLD);

    ApplyResult result = pipeline(inventory(1)).apply(ApplySettings.builder(target, store(), validator())
        .reload(reloader()).guards(new Guards(false, 50, 3, false)).backups(5).dryRun(true).build());

    assertEquals(Outcome.WOULD_CHANGE, result.outcome());
    assertFalse(Files.exists(stateDir), "no state dir, no lock file");
    assertEquals(OLD, Files.readString(target));
    assertTrue(result.plan().unifiedDiff().contains("+    server i-1 "), result.plan().unifiedDiff());
  }

  @Test
  void jitter_sleepsARandomTimeBelowItBeforeDiscovery() throws IOException {
    Inventory inventory = inventory(1);
    Source source = () -> {
      events.add("discover after " + clock.sleeps().size() + " sleep");
      return inventory;
    };
    new Pipeline(source, engine(), vars(), log, clock).apply(ApplySettings.builder(target, store(), validator())
        .guards(new Guards(false, 50, 3, false)).backups(5).jitter(Duration.ofSeconds(30)).build());

    assertEquals(1, clock.sleeps().size());
    assertTrue(clock.sleeps().get(0).compareTo(Duration.ofSeconds(30)) < 0);
    assertEquals("discover after 1 sleep", events.get(0));
  }

  @Test
  void guardRefusal_writesAndReloadsNothing() throws IOException {
    pipeline(inventory(4)).apply(settings(reloader()));
    Map<String, String> before = snapshot();
    events.clear();

    ApplyFailure failure = assertThrows(ApplyFailure.class, () -> pipeline(inventory(1)).apply(settings(reloader())));

    assertEquals(Outcome.REFUSED, failure.outcome());
    assertEquals(List.of("web/i-2", "web/i-3", "web/i-4"), failure.breaches().removed());
    assertEquals(new GuardBreaches.Shrink(3, 4, 50, GuardBreaches.Kind.UNCONFIRMED, List.of(),
        new GuardBreaches.Sighting(1, 3, clock.now())), failure.breaches().shrink());
    assertEquals(List.of(), events);
    Map<String, String> after = snapshot();
    assertTrue(after.remove(stateDir.resolve("pending-shrink.json").toString()) != null,
        "the sighting is recorded: " + after);
    assertEquals(before, after, "nothing else is written");
  }

  @Test
  void aConfigWhoseReloadFailed_isQuarantined_andNotTriedAgain() throws IOException {
    Files.writeString(target, OLD);
    reloadFailures = 1;
    Pipeline pipeline = pipeline(inventory(1));
    assertThrows(ApplyFailure.class, () -> pipeline.apply(settings(reloader())));
    Map<String, String> before = snapshot();
    events.clear();

    ApplyFailure again = assertThrows(ApplyFailure.class, () -> pipeline(inventory(1)).apply(settings(reloader())));

    assertEquals(Outcome.QUARANTINED, again.outcome());
    assertEquals(pipeline.render().sha256(), again.quarantined().config());
    assertTrue(again.getMessage().startsWith("still the config that failed at " + clock.now() + ": boom 1"),
        again.getMessage());
    assertEquals(List.of(), withoutInfo(), "neither checked nor reloaded");
    assertEquals(before, snapshot(), "nothing written");
  }

  @Test
  void aQuarantinedConfig_isRefusedByADryRunToo() throws IOException {
    Files.writeString(target, OLD);
    reloadFailures = 1;
    assertThrows(ApplyFailure.class, () -> pipeline(inventory(1)).apply(settings(reloader())));
    events.clear();

    ApplyFailure dry = assertThrows(ApplyFailure.class,
        () -> pipeline(inventory(1)).apply(settings(reloader(), false, true)));

    assertEquals(Outcome.QUARANTINED, dry.outcome());
    assertEquals(List.of(), withoutInfo(), "not even checked");
  }

  @Test
  void force_triesAQuarantinedConfigAgain_andReleasesItWhenItWorks() throws IOException {
    Files.writeString(target, OLD);
    reloadFailures = 1;
    Pipeline pipeline = pipeline(inventory(1));
    label(pipeline, "NEW");
    assertThrows(ApplyFailure.class, () -> pipeline.apply(settings(reloader())));
    events.clear();

    ApplyResult forced = pipeline.apply(settings(reloader(), true, false));

    assertEquals(Outcome.INSTALLED_AND_RELOADED, forced.outcome());
    assertTrue(withoutInfo().contains("reload NEW: target=NEW lastKnownGood=OLD state=present"), events.toString());
    assertTrue(store().quarantined(pipeline.render().sha256()).isEmpty(), "released");
    assertEquals(Outcome.UNCHANGED, pipeline(inventory(1)).apply(settings(reloader())).outcome());
  }

  @Test
  void forcedDryRun_ofAQuarantinedConfig_checksIt_andSaysItWouldChange() throws IOException {
    Files.writeString(target, OLD);
    reloadFailures = 1;
    assertThrows(ApplyFailure.class, () -> pipeline(inventory(1)).apply(settings(reloader())));
    events.clear();

    ApplyResult dry = pipeline(inventory(1)).apply(settings(reloader(), true, true));

    assertEquals(Outcome.WOULD_CHANGE, dry.outcome());
    assertEquals(1, withoutInfo().stream().filter(e -> e.startsWith("check ")).count(), events.toString());
    assertTrue(store().quarantined(pipeline(inventory(1)).render().sha256()).isPresent(), "a dry run releases nothing");
  }

  // --- fixtures

  private ApplySettings settings(ReloadStrategy reload) {
    return settings(reload, false, false);
  }

  private ApplySettings settings(ReloadStrategy reload, boolean force, boolean dryRun) {
    return ApplySettings.builder(target, store(), validator()).reload(reload).guards(new Guards(false, 50, 3, force))
        .backups(5).dryRun(dryRun).build();
  }

  private StateStore store() {
    return new StateStore(stateDir, log);
  }

  private ConfigCheck validator() {
    return (candidate, shownAs) -> {
      events.add("check in " + candidate.getParent() + ": candidate=" + label(candidate) + " target="
          + label(target));
      return valid ? new CheckResult(true, 0, List.of(), List.of())
          : new CheckResult(false, 1, List.of("config : parsing [x:1] : unknown keyword"), List.of());
    };
  }

  private ReloadStrategy reloader() {
    return new ReloadStrategy() {
      @Override
      public String describe() {
        return "recording fake";
      }

      @Override
      public Reload prepare(String running) throws ReloadException {
        events.add("prepare running=" + (running == null ? "none" : labelOf(running)));
        if (prepareFails) {
          throw new ReloadException("master socket: connection refused");
        }
        return new Reload() {
          @Override
          public void send() {}

          @Override
          public Verified verify(String config) throws ReloadException {
            events.add("reload " + labelOf(config) + ": target=" + label(target) + " lastKnownGood="
                + label(stateDir.resolve("last-known-good.cfg")) + " state=" + label(stateDir.resolve("state.json")));
            if (reloadFailures > 0) {
              reloadFailures--;
              throw new ReloadException("boom " + countReloads());
            }
            return new Verified("ok", 0, true);
          }
        };
      }
    };
  }

  private int countReloads() {
    return (int) events.stream().filter(e -> e.startsWith("reload ")).count();
  }

  private Pipeline pipeline(Inventory inventory) {
    return new Pipeline(() -> inventory, engine(), vars(), log, clock);
  }

  private static TemplateEngine engine() {
    return TemplateEngine.load(HaproxyInstance.testTemplate().toString());
  }

  private static java.util.SortedMap<String, String> vars() {
    return new TreeMap<>(Map.of("port", "8080", "stats_socket", "/run/haproxy/stats.sock", "pidfile",
        "/run/haproxy.pid"));
  }

  private static Inventory inventory(int servers) {
    List<Server> list = new ArrayList<>();
    for (int i = 1; i <= servers; i++) {
      list.add(Server.of("i-" + i, InetAddress.getLoopbackAddress(), 9000 + i));
    }
    return new Inventory(List.of(new Service("web", "file", list)));
  }

  private void label(Pipeline pipeline, String name) {
    labels.put(pipeline.render().text(), name);
  }

  private String labelOf(String text) {
    if (text.equals(OLD)) {
      return "OLD";
    }
    return labels.getOrDefault(text, "other");
  }

  private String label(Path file) {
    if (!Files.exists(file)) {
      return "none";
    }
    try {
      return file.getFileName().toString().equals("state.json") ? "present" : labelOf(Files.readString(file));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private List<String> withoutInfo() {
    return events.stream().filter(e -> !e.startsWith("info ")).toList();
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(target.getParent())) {
      return files.filter(p -> p.getFileName().toString().endsWith(".tmp")).toList();
    }
  }

  private Map<String, String> snapshot() throws IOException {
    Map<String, String> files = new TreeMap<>();
    for (Path root : List.of(target.getParent(), stateDir)) {
      try (Stream<Path> walk = Files.walk(root)) {
        for (Path p : walk.filter(Files::isRegularFile).toList()) {
          BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
          files.put(p.toString(), sha(Files.readAllBytes(p)) + " " + a.lastModifiedTime() + " " + a.fileKey());
        }
      }
    }
    return files;
  }

  private static byte[] content(Path p) throws IOException {
    return Files.readAllBytes(p);
  }

  private static Sha256 sha(byte[] bytes) {
    return Sha256.of(bytes);
  }
}
