package dev.haproxysd.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.haproxysd.testing.RecordingLog;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code lifecycle.json}: round trip, a corrupt file counts as nothing seen, an empty list removes the file. */
class DrainingJsonTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void roundTrip_keepsHeartbeatAndCompletion_andLeavesOutWhatDidNotHappen() {
    List<DrainingInstance> draining = List.of(DrainingInstance.seen("web", "i-1", T),
        DrainingInstance.seen("web", "i-2", T).heartbeat(T.plusSeconds(60)).complete(T.plusSeconds(120)));
    String json = DrainingJson.format(draining);
    assertEquals(draining, DrainingJson.parse(json));
    assertEquals("{\"version\":1,\"draining\":[{\"group\":\"web\",\"instance\":\"i-1\",\"firstSeen\":"
        + "\"2026-01-01T00:00:00Z\"},{\"group\":\"web\",\"instance\":\"i-2\",\"firstSeen\":"
        + "\"2026-01-01T00:00:00Z\",\"lastHeartbeat\":\"2026-01-01T00:01:00Z\",\"completed\":"
        + "\"2026-01-01T00:02:00Z\"}]}\n", json);
  }

  @Test
  void aCorruptFile_isAWarningAndNothingSeen_andNoneLeftRemovesTheFile() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path dir = fs.getPath("/var/lib/haproxy-sd");
      RecordingLog log = new RecordingLog();
      StateStore store = new StateStore(dir, log);
      store.recordDraining(List.of(DrainingInstance.seen("web", "i-1", T)));
      assertEquals(List.of(DrainingInstance.seen("web", "i-1", T)), store.draining());
      byte[] good = Files.readAllBytes(dir.resolve("lifecycle.json"));
      Files.write(dir.resolve("lifecycle.json"), java.util.Arrays.copyOf(good, good.length / 2)); // a torn write
      assertEquals(List.of(), store.draining());
      assertTrue(log.warnings().toString().contains("lifecycle.json"), log.warnings().toString());
      int warnings = log.warnings().size();
      Files.write(dir.resolve("lifecycle.json"), new byte[] {0, 1, (byte) 0xff, '{'}); // not JSON at all
      assertEquals(List.of(), store.draining());
      assertEquals(warnings + 1, log.warnings().size(), log.warnings().toString());
      Files.writeString(dir.resolve("lifecycle.json"), "{\"version\": 2}"); // a newer format
      assertEquals(List.of(), store.draining());
      assertEquals(warnings + 2, log.warnings().size(), log.warnings().toString());
      store.recordDraining(List.of());
      assertTrue(Files.notExists(dir.resolve("lifecycle.json")));
    }
  }
}
