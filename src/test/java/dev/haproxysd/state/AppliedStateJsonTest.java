package dev.haproxysd.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
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
}
