package dev.haproxysd.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.RenderKey;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
import dev.haproxysd.model.TemplateFile;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** state.json as earlier releases wrote it still reads, and reads back into the same bytes. */
class AppliedStateJsonTest {
  private static final String A = "a".repeat(64);
  private static final String B = "b".repeat(64);
  private static final String C = "c".repeat(64);

  /** Byte for byte what the release before Outcome/Proof/Sha256 wrote after a runtime-API apply with slots. */
  private static final String WRITTEN_BEFORE = """
      {
        "version": 1,
        "configFile": "/etc/haproxy/haproxy.cfg",
        "configSha256": "%s",
        "appliedAt": "2026-01-02T03:04:05Z",
        "outcome": "applied",
        "reloaded": false,
        "inventorySha256": "%s",
        "live": true,
        "slots": {
          "rule": "10",
          "services": {
            "web": [
              "i-1",
              null
            ]
          }
        }
      }
      """.formatted(A, B);

  @Test
  void aFileWrittenBeforeTheChange_readsAndIsWrittenBackUnchanged() {
    AppliedState state = AppliedStateJson.parse(WRITTEN_BEFORE);

    TreeMap<String, List<String>> services = new TreeMap<>();
    services.put("web", List.of("i-1", Slots.FREE));
    assertEquals(AppliedState.applied(java.nio.file.Path.of("/etc/haproxy/haproxy.cfg"), new Sha256(A),
        AppliedState.Proof.RUNTIME_API, new AppliedState.Origin(new Sha256(B), new Slots("10", services)),
        Instant.parse("2026-01-02T03:04:05Z")), state);
    assertEquals(WRITTEN_BEFORE, AppliedStateJson.format(state));
  }

  @ParameterizedTest(name = "reloaded={0}, live={1} -> {2}")
  @CsvSource({
      "true,  ,      RELOAD",       // files from before "live" existed: live followed reloaded
      "false, ,      NONE",
      "true,  true,  RELOAD",
      "false, true,  RUNTIME_API",
      "false, false, NONE",
  })
  void reloadedAndLive_becomeOneProof(boolean reloaded, Boolean live, AppliedState.Proof proof) {
    String json = "{\"version\":1,\"configFile\":\"/c\",\"configSha256\":\"" + A + "\",\"appliedAt\":"
        + "\"2026-01-02T03:04:05Z\",\"outcome\":\"applied\",\"reloaded\":" + reloaded
        + (live == null ? "" : ",\"live\":" + live) + "}";
    AppliedState state = AppliedStateJson.parse(json);
    assertEquals(proof, state.proof());
    assertEquals(reloaded, state.reloaded());
    assertNull(state.slots());
    assertNull(state.inventorySha256());
  }

  @Test
  void aRollback_keepsTheFailedConfigsHash() {
    AppliedState state = AppliedState.rolledBack(java.nio.file.Path.of("/c"), new Sha256(A), new Sha256(C),
        AppliedState.Origin.UNKNOWN, Instant.EPOCH);
    String json = AppliedStateJson.format(state);
    assertEquals(state, AppliedStateJson.parse(json));
    assertEquals(true, json.contains("\"outcome\": \"rolled-back\""), json);
    assertEquals(true, json.contains("\"failedSha256\": \"" + C + "\""), json);
  }

  @Test
  void anAppliedStateNamingAFailedConfig_isCorrupt() {
    String json = "{\"version\":1,\"configFile\":\"/c\",\"configSha256\":\"" + A + "\",\"appliedAt\":"
        + "\"2026-01-02T03:04:05Z\",\"outcome\":\"applied\",\"reloaded\":true,\"failedSha256\":\"" + C + "\"}";
    assertThrows(IllegalArgumentException.class, () -> AppliedStateJson.parse(json));
  }

  /** An apply with a render key: what a no-change apply needs to skip the render. */
  private static final String WITH_RENDER_KEY = """
      {
        "version": 1,
        "configFile": "/etc/haproxy/haproxy.cfg",
        "configSha256": "%1$s",
        "appliedAt": "2026-01-02T03:04:05Z",
        "outcome": "applied",
        "reloaded": true,
        "inventorySha256": "%2$s",
        "live": true,
        "slots": {
          "rule": "auto",
          "services": {}
        },
        "render": {
          "key": "%3$s",
          "config": "%1$s",
          "build": "haproxy-sd 0.1.0 (commit 0123456789ab); Java 17.0.15 (OpenJDK 64-Bit Server VM)",
          "template": "/etc/haproxy-sd/haproxy.cfg.ftl",
          "templateFiles": {
            "haproxy.cfg.ftl": "%2$s",
            "parts/optional.ftl": null
          }
        }
      }
      """.formatted(A, B, C);

  @Test
  void aRenderKey_roundTripsByteForByte() {
    RenderKey key = new RenderKey(new Sha256(C), new Sha256(A),
        "haproxy-sd 0.1.0 (commit 0123456789ab); Java 17.0.15 (OpenJDK 64-Bit Server VM)",
        "/etc/haproxy-sd/haproxy.cfg.ftl", List.of(TemplateFile.absent("parts/optional.ftl"),
            new TemplateFile("haproxy.cfg.ftl", new Sha256(B))));
    AppliedState state = AppliedState.applied(java.nio.file.Path.of("/etc/haproxy/haproxy.cfg"), new Sha256(A),
        AppliedState.Proof.RELOAD, new AppliedState.Origin(new Sha256(B), new Slots("auto", new TreeMap<>()), key),
        Instant.parse("2026-01-02T03:04:05Z"));

    assertEquals(WITH_RENDER_KEY, AppliedStateJson.format(state));
    assertEquals(state, AppliedStateJson.parse(WITH_RENDER_KEY));
    assertEquals(java.util.Optional.of(key), AppliedStateJson.parse(WITH_RENDER_KEY).renderKey());
  }

  @Test
  void aFileWrittenBeforeRenderKeys_readsWithoutOne() {
    assertEquals(java.util.Optional.empty(), AppliedStateJson.parse(WRITTEN_BEFORE).renderKey());
    assertTrue(!AppliedStateJson.format(AppliedStateJson.parse(WRITTEN_BEFORE)).contains("render"));
  }

  @Test
  void aRenderKeyWithoutItsFiles_isCorrupt() {
    String json = WITH_RENDER_KEY.replaceAll("(?s),\\s*\"templateFiles\": \\{[^}]*\\}", "");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AppliedStateJson.parse(json));
    assertTrue(e.getMessage().contains("render.templateFiles"), e.getMessage());
  }
}
