package dev.haproxysd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.RenderKey;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
import dev.haproxysd.render.LazyTemplateEngine;
import dev.haproxysd.render.Rendered;
import dev.haproxysd.render.TemplateRef;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.StateStore;
import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.RecordingLog;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * When {@link Pipeline#plan(Path, StateStore, boolean)} may let the installed config stand in for a render, and when
 * the template is parsed: real template files and state directory, the recorded key written as apply writes it.
 */
class InstalledConfigReuseTest {
  private static final String BUILD = "haproxy-sd 0.1.0 (commit 0123456789ab); Java 17";
  private static final Inventory INVENTORY = new Inventory(List.of(new Service("web", "file",
      List.of(Server.of("i-1", InetAddress.getLoopbackAddress(), 9001)))));

  @TempDir Path dir;
  private final RecordingLog log = new RecordingLog();
  private Path template;
  private Path target;
  private StateStore store;
  private Rendered applied;
  private RenderKey key;

  @BeforeEach
  void appliedWithARenderKey() throws IOException {
    template = dir.resolve("haproxy.cfg.ftl");
    Files.copy(HaproxyInstance.testTemplate(), template);
    target = dir.resolve("haproxy.cfg");
    store = new StateStore(dir.resolve("state"), log);
    Pipeline first = pipeline(BUILD);
    applied = first.render();
    key = first.renderKey().orElseThrow();
    Files.writeString(target, applied.text());
    store.record(AppliedState.applied(target, applied.sha256(), AppliedState.Proof.RELOAD,
        AppliedState.Origin.of(INVENTORY, first.slots(), key), Instant.EPOCH), INVENTORY);
  }

  private Pipeline pipeline(String build) {
    SortedMap<String, String> vars = new TreeMap<>(Map.of("port", "8080", "stats_socket", "/run/stats.sock",
        "pidfile", "/run/haproxy.pid"));
    return new Pipeline(() -> INVENTORY, new LazyTemplateEngine(TemplateRef.of(template.toString()), log), build,
        vars, Slots.Rule.AUTO, log, Clock.SYSTEM);
  }

  private long parses() {
    return log.lines().stream().filter(l -> l.contains(" parsed in ")).count();
  }

  @Test
  void theRecordedKeyOfTheInstalledConfig_letsItStandInForTheRender_withoutParsing() throws IOException {
    long parsesBefore = parses();
    Pipeline next = pipeline(BUILD).parseTemplateUnlessUnchanged(store.recordedRenderKey(target));

    Plan plan = next.plan(target, store, true);

    assertEquals(applied, plan.desired());
    assertEquals(Plan.Action.NONE, plan.action());
    assertEquals(Optional.of(key), next.renderKey());
    assertEquals(parsesBefore, parses(), log.lines().toString());
    assertTrue(log.lines().contains("debug: template and inputs unchanged since the last apply: render skipped ("
        + target + " is what they rendered, sha256 " + applied.sha256().shortHex() + ")"), log.lines().toString());
  }

  @Test
  void diffsPlan_rendersAlways() throws IOException {
    Pipeline next = pipeline(BUILD).parseTemplateUnlessUnchanged(store.recordedRenderKey(target));
    long rendersBefore = renders();

    assertEquals(applied, next.plan(target, store).desired());
    assertEquals(rendersBefore + 1, renders(), "rendered by this plan, not only by the first apply's: "
        + log.lines());
    assertTrue(log.lines().stream().noneMatch(l -> l.contains("render skipped")), log.lines().toString());
  }

  private long renders() {
    return log.lines().stream().filter(l -> l.startsWith("debug: rendered ")).count();
  }

  @Test
  void anotherBuild_parsesBeforeDiscovery_andRenders() throws IOException {
    long parsesBefore = parses();
    Pipeline next = pipeline(BUILD.replace("0.1.0", "0.2.0")).parseTemplateUnlessUnchanged(
        store.recordedRenderKey(target));
    assertEquals(parsesBefore + 1, parses(), "parsed before discovery");

    next.plan(target, store, true);

    assertTrue(log.lines().contains("debug: rendering: the last apply ran another build (" + BUILD + ")"),
        log.lines().toString());
    assertNotEquals(key, next.renderKey().orElseThrow());
  }

  @Test
  void aStateRolledBackToAConfigOtherThanTheKeys_rendersAgain() throws IOException {
    String restored = applied.text() + "# restored from last-known-good\n";
    Files.writeString(target, restored);
    store.record(AppliedState.rolledBack(target, Sha256.of(restored), Sha256.of("failed"),
        AppliedState.Origin.of(INVENTORY, pipeline(BUILD).slots(), key), Instant.EPOCH));
    Pipeline next = pipeline(BUILD).parseTemplateUnlessUnchanged(store.recordedRenderKey(target));

    Plan plan = next.plan(target, store, true);

    assertEquals(applied, plan.desired(), "rendered, not the restored file");
    assertEquals(Plan.Action.INSTALL, plan.action());
    assertTrue(log.lines().stream().anyMatch(l -> l.startsWith("debug: rendering: " + target
        + " is not the config the last apply rendered")), log.lines().toString());
  }

  @Test
  void aBuildThatDoesNotKnowItsCommit_neverKeysARender() {
    Pipeline unknown = pipeline(null);
    unknown.render();

    assertEquals(Optional.empty(), unknown.renderKey());
  }
}
