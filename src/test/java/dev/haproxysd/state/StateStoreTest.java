package dev.haproxysd.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.testing.RecordingLog;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StateStoreTest {
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final Path dir = fs.getPath("/var/lib/haproxy-sd");
  private final Path config = fs.getPath("/etc/haproxy/haproxy.cfg");
  private final RecordingLog log = new RecordingLog();
  private final StateStore store = new StateStore(dir, log);
  private static final String SHA = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
  private static final Inventory INVENTORY = new Inventory(List.of(new Service("web", "file",
      List.of(Server.of("i-1", InetAddress.getLoopbackAddress(), 80)))));

  @Test
  void recordThenLoad_roundTripsTheStateAndItsInventory() throws IOException {
    AppliedState state = AppliedState.rolledBack(config, new Sha256(SHA), new Sha256("b".repeat(64)),
        AppliedState.Origin.of(INVENTORY, null), Instant.parse("2026-01-02T03:04:05Z"));
    store.record(state, INVENTORY);

    StateStore.Loaded loaded = store.load(config);

    assertEquals(Optional.of(state), loaded.state());
    assertEquals(Optional.of(INVENTORY), loaded.inventory());
    assertEquals(List.of(), log.warningMessages());
  }

  @Test
  void slotsAndLiveness_roundTrip_andRenderReadsTheSlotsWhateverTheConfigFile() throws IOException {
    java.util.TreeMap<String, List<String>> services = new java.util.TreeMap<>();
    services.put("web", List.of("i-1", dev.haproxysd.model.Slots.FREE, "i-3"));
    dev.haproxysd.model.Slots slots = new dev.haproxysd.model.Slots("10", services);
    AppliedState state = AppliedState.applied(config, new Sha256(SHA), AppliedState.Proof.RUNTIME_API,
        new AppliedState.Origin(null, slots), Instant.EPOCH);
    store.record(state);

    assertEquals(Optional.of(state), store.load(config).state());
    assertEquals(Optional.of(slots), store.recordedSlots());
    assertEquals(List.of(), log.warningMessages());
  }

  @Test
  void recordedRenderKey_isTheKeyRecordedForThisConfigFile_andQuietlyNoneOtherwise() throws IOException {
    dev.haproxysd.model.RenderKey key = new dev.haproxysd.model.RenderKey(new Sha256("c".repeat(64)),
        new Sha256(SHA), "haproxy-sd 0.1.0 (commit 0123456789ab)", "builtin:asg-http",
        List.of(new dev.haproxysd.model.TemplateFile("asg-http.ftl", new Sha256("d".repeat(64)))));
    assertEquals(Optional.empty(), store.recordedRenderKey(config), "no state yet");

    store.record(AppliedState.applied(config, new Sha256(SHA), AppliedState.Proof.RELOAD,
        AppliedState.Origin.of(INVENTORY, null, key), Instant.EPOCH), INVENTORY);

    assertEquals(Optional.of(key), store.recordedRenderKey(config));
    assertEquals(Optional.of(key), store.load(config).state().flatMap(AppliedState::renderKey));
    assertEquals(Optional.empty(), store.recordedRenderKey(fs.getPath("/etc/haproxy/other.cfg")));
    Files.writeString(dir.resolve("state.json"), "{ not json");
    assertEquals(Optional.empty(), store.recordedRenderKey(config));
    assertEquals(List.of(), log.warningMessages(), "load() is where a bad state is reported, once");
  }

  @Test
  void anInventoryOtherThanTheStateNames_isNotRecorded() {
    AppliedState state = AppliedState.applied(config, new Sha256(SHA), AppliedState.Proof.RELOAD,
        AppliedState.Origin.UNKNOWN, Instant.EPOCH);
    assertThrows(IllegalArgumentException.class, () -> store.record(state, INVENTORY));
    assertTrue(Files.notExists(dir.resolve("inventory.json")));
  }

  @Test
  void recordedSlots_withoutAStateDirectory_areQuietlyNone() {
    assertEquals(Optional.empty(), store.recordedSlots());
    assertEquals(List.of(), log.warningMessages());
  }

  @Test
  void missingState_isAWarningAndNothing() {
    assertEquals(StateStore.Loaded.NOTHING, store.load(config));
    assertTrue(log.warningMessages().get(0).startsWith("no state in /var/lib/haproxy-sd yet"), log.warningMessages().toString());
  }

  @ParameterizedTest(name = "[{index}] {argumentsWithNames}")
  @ValueSource(strings = {
      "",
      "not json",
      "[]",
      "{\"version\": 2, \"configFile\": \"/etc/haproxy/haproxy.cfg\"}",
      "{\"version\": 1, \"configFile\": \"/etc/haproxy/haproxy.cfg\", \"configSha256\": \"xyz\", "
          + "\"appliedAt\": \"2026-01-01T00:00:00Z\", \"outcome\": \"applied\", \"reloaded\": true}",
      "{\"version\": 1, \"configFile\": \"/etc/haproxy/haproxy.cfg\", \"configSha256\": \"" + SHA + "\", "
          + "\"appliedAt\": \"yesterday\", \"outcome\": \"applied\", \"reloaded\": true}",
      "{\"version\": 1, \"configFile\": \"/etc/haproxy/haproxy.cfg\", \"configSha256\": \"" + SHA + "\", "
          + "\"appliedAt\": \"2026-01-01T00:00:00Z\", \"outcome\": \"exploded\", \"reloaded\": true}",
      "{\"version\": 1, \"configFile\": \"/etc/haproxy/haproxy.cfg\", \"configSha256\": \"" + SHA + "\", "
          + "\"appliedAt\": \"2026-01-01T00:00:00Z\", \"outcome\": \"applied\"}",
      "{\"version\": 1, \"configFile\": \"/etc/haproxy/haproxy.cfg\", \"configSha256\": \"" + SHA,
  })
  void corruptState_isAWarningAndNothing(String content) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("state.json"), content);

    assertEquals(StateStore.Loaded.NOTHING, store.load(config));
    assertTrue(log.warningMessages().get(0).startsWith("ignoring corrupt state file"), log.warningMessages().toString());
  }

  @Test
  void stateForAnotherConfigFile_isIgnored() throws IOException {
    store.record(AppliedState.applied(fs.getPath("/etc/other.cfg"), new Sha256(SHA), AppliedState.Proof.RELOAD,
        AppliedState.Origin.UNKNOWN, Instant.EPOCH));

    assertEquals(StateStore.Loaded.NOTHING, store.load(config));
    assertTrue(log.warningMessages().get(0).contains("was recorded for /etc/other.cfg"), log.warningMessages().toString());
  }

  @Test
  void inventoryThatDoesNotMatchTheState_isDropped_theStateKept() throws IOException {
    store.record(AppliedState.applied(config, new Sha256(SHA), AppliedState.Proof.RELOAD,
        AppliedState.Origin.of(INVENTORY, null), Instant.EPOCH), INVENTORY);
    Files.writeString(dir.resolve("inventory.json"), "{\"changed\": true}"); // as if a run died between the two

    StateStore.Loaded loaded = store.load(config);

    assertTrue(loaded.state().isPresent());
    assertTrue(loaded.inventory().isEmpty());
    assertTrue(log.warningMessages().get(0).contains("does not match state.json"), log.warningMessages().toString());
  }

  @Test
  void lastKnownGood_andBackupsRotate() throws IOException {
    for (int i = 1; i <= 4; i++) {
      store.keepLastKnownGood(("config " + i).getBytes(StandardCharsets.UTF_8), "haproxy.cfg", 3);
    }
    assertEquals("config 4", new String(store.lastKnownGood().orElseThrow(), StandardCharsets.UTF_8));
    assertEquals("config 4", Files.readString(dir.resolve("backups/haproxy.cfg.1")));
    assertEquals("config 3", Files.readString(dir.resolve("backups/haproxy.cfg.2")));
    assertEquals("config 2", Files.readString(dir.resolve("backups/haproxy.cfg.3")));
    assertEquals(3, new Backups(dir.resolve("backups"), "haproxy.cfg", 3).list().size());
    assertTrue(Files.notExists(dir.resolve("backups/haproxy.cfg.4")));
  }

  @Test
  void quarantine_keepsEachFailedConfig_newestFirst_andRefusesOnlyThoseBytes() throws IOException {
    Sha256 first = new Sha256("1".repeat(64));
    Sha256 second = new Sha256("2".repeat(64));
    Sha256 never = new Sha256("3".repeat(64));
    store.quarantine(new QuarantinedConfig(first, Instant.EPOCH, "reload failed"));
    store.quarantine(new QuarantinedConfig(second, Instant.EPOCH.plusSeconds(60), "bind failed"));
    store.quarantine(new QuarantinedConfig(first, Instant.EPOCH.plusSeconds(120), "failed again"));

    assertEquals("failed again", store.quarantined(first).orElseThrow().reason(), "the older record replaced");
    assertEquals("bind failed", store.quarantined(second).orElseThrow().reason(), "the other kept");
    assertEquals(Optional.empty(), store.quarantined(never));
    for (int i = 0; i < StateStore.QUARANTINE_KEEP; i++) {
      store.quarantine(new QuarantinedConfig(new Sha256(String.format("%064x", i + 16)), Instant.EPOCH, "x"));
    }
    assertEquals(Optional.empty(), store.quarantined(first), "only the newest " + StateStore.QUARANTINE_KEEP);
    assertTrue(store.quarantined(new Sha256(String.format("%064x", 16))).isPresent());
  }

  @Test
  void liveness_isProvedByAReloadTheRuntimeApiOrAdoption_neverByARepair() {
    for (AppliedState.Proof proof : AppliedState.Proof.values()) {
      AppliedState state = AppliedState.applied(config, new Sha256(SHA), proof, AppliedState.Origin.of(INVENTORY,
          null), Instant.EPOCH);
      assertEquals(proof != AppliedState.Proof.NONE, state.live(), proof.toString());
    }
  }

  @Test
  void aPendingShrink_needsOneServerAndOneRunAtLeast() {
    Sha256 removals = new Sha256(SHA);
    assertEquals(1, new PendingShrink(removals, 1, Instant.EPOCH, 1).servers());
    assertThrows(IllegalArgumentException.class, () -> new PendingShrink(removals, 0, Instant.EPOCH, 1));
    assertThrows(IllegalArgumentException.class, () -> new PendingShrink(removals, 1, Instant.EPOCH, 0));
  }
}
