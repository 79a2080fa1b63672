package dev.haproxysd.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.haproxysd.model.Log;
import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@code last-run.json} and {@code watch.json} round trip through the store, and {@link StateReader} tells an
 * absent file from a read one and from an unreadable one (with why), never throwing.
 */
class StateReaderTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void lastRunAndWatch_roundTrip_withMode0600_andWhatIsUnknownLeftOut() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix().toBuilder()
        .setAttributeViews("basic", "posix").build())) {
      Path dir = fs.getPath("/var/lib/haproxy-sd");
      StateStore store = new StateStore(dir, Log.SILENT);
      StateReader reader = new StateReader(dir);
      assertFalse(reader.exists());
      assertTrue(reader.lastRun().absent());

      LastRun refused = new LastRun(T, 19, "refused", "guard refused:\nsomething", 3, Duration.ofMinutes(2));
      store.recordLastRun(refused);
      assertEquals("guard refused: something", reader.lastRun().value().message(), "one line");
      assertEquals(refused, reader.lastRun().value());
      LastRun ok = new LastRun(T, 0, null, null, 3, null);
      store.recordLastRun(ok);
      assertEquals(ok, reader.lastRun().value());
      store.recordLastRun(new LastRun(T.plusSeconds(60), 0, null, null, 3, null));
      assertEquals(ok, reader.lastRun().value(), "ended like the one recorded: not written again");
      assertEquals("{\"version\":1,\"since\":\"2026-01-01T00:00:00Z\",\"exitCode\":0,\"confirmRuns\":3}\n", Files.readString(dir.resolve("last-run.json")));
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
          dir.resolve("last-run.json"))));

      WatchStatus watch = new WatchStatus(42, T, Duration.ofMillis(1500), 7, T.plusSeconds(9), T.plusSeconds(10), 10,
          2, T.plusSeconds(15));
      store.recordWatch(watch);
      assertEquals(watch, reader.watch().value());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
          dir.resolve("watch.json"))));
    }
  }

  @Test
  void anUnreadableFile_isAProblemNamingWhy_andTheOthersStillRead() throws IOException {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path dir = Files.createDirectories(fs.getPath("/var/lib/haproxy-sd"));
      Files.writeString(dir.resolve("last-run.json"), "{\"version\": 2}");
      Files.writeString(dir.resolve("watch.json"), "[]");
      new StateStore(dir, Log.SILENT).recordPendingShrink(new PendingShrink(
          dev.haproxysd.model.Sha256.of(new byte[0]), 3, T, 1));
      StateReader reader = new StateReader(dir);
      StateReader.Read<LastRun> lastRun = reader.lastRun();
      assertNull(lastRun.value());
      assertEquals("last-run.json", lastRun.name());
      assertEquals("version 2, expected 1", lastRun.problem());
      assertTrue(reader.watch().problem().startsWith("not a watch status: "), reader.watch().problem());
      assertEquals(3, reader.pendingShrink().value().servers());
      assertTrue(reader.quarantine().absent());
    }
  }
}
