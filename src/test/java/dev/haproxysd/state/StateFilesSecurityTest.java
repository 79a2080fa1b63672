package dev.haproxysd.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.testing.RecordingLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Modes and symbolic links in the state directory, on the real file system (Jimfs has neither modes nor O_NOFOLLOW). */
class StateFilesSecurityTest {
  @TempDir Path tmp;
  private final RecordingLog log = new RecordingLog();

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void newStateDir_is0750_stateFilesAre0600_backupsKeepTheConfigsMode() throws IOException {
    Path dir = tmp.resolve("var/lib/haproxy-sd");
    StateStore store = new StateStore(dir, log);
    store.keepLastKnownGood("stats auth a:b\n".getBytes(StandardCharsets.UTF_8), "haproxy.cfg", 2,
        PosixFilePermissions.fromString("rw-r-----"));
    store.keepLastKnownGood("v2\n".getBytes(StandardCharsets.UTF_8), "haproxy.cfg", 2,
        PosixFilePermissions.fromString("rw-r-----"));
    store.record(AppliedState.applied(Path.of("/etc/haproxy/haproxy.cfg"), new Sha256("a".repeat(64)),
        AppliedState.Proof.RELOAD, AppliedState.Origin.UNKNOWN, Instant.EPOCH));

    assertEquals("rwxr-x---", mode(dir));
    assertEquals("rwxr-x---", mode(dir.resolve("backups")));
    assertEquals("rw-r-----", mode(dir.resolve("last-known-good.cfg")));
    assertEquals("rw-r-----", mode(dir.resolve("backups/haproxy.cfg.1")));
    assertEquals("rw-r-----", mode(dir.resolve("backups/haproxy.cfg.2")));
    assertEquals("rw-------", mode(dir.resolve("state.json")));
  }

  @Test
  void anExistingLastKnownGood_takesTheConfigsModeNotItsOwn() throws IOException {
    StateStore store = new StateStore(tmp, log);
    Path lkg = tmp.resolve("last-known-good.cfg");
    Files.writeString(lkg, "old");
    Files.setPosixFilePermissions(lkg, PosixFilePermissions.fromString("rw-rw-rw-"));
    store.keepLastKnownGood("new".getBytes(StandardCharsets.UTF_8), "haproxy.cfg", 0,
        PosixFilePermissions.fromString("rw-------"));
    assertEquals("rw-------", mode(lkg));
  }

  @Test
  void symlinkedStateFile_isNotReadThrough_andRecordReplacesTheLinkNotItsVictim() throws IOException {
    Path victim = tmp.resolve("victim.txt");
    Files.writeString(victim, "{\"version\":1,\"configFile\":\"SECRET-CONTENT\"}");
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Files.createSymbolicLink(dir.resolve("state.json"), victim);
    StateStore store = new StateStore(dir, log);

    assertEquals(StateStore.Loaded.NOTHING, store.load(tmp.resolve("haproxy.cfg")));
    assertTrue(log.warningMessages().get(0).contains("symbolic link"), log.warningMessages().toString());
    assertFalse(log.warningMessages().toString().contains("SECRET-CONTENT"));

    store.record(AppliedState.applied(Path.of("/x"), new Sha256("a".repeat(64)), AppliedState.Proof.RELOAD,
        AppliedState.Origin.UNKNOWN, Instant.EPOCH));
    assertEquals("{\"version\":1,\"configFile\":\"SECRET-CONTENT\"}", Files.readString(victim), "victim untouched");
    assertFalse(Files.isSymbolicLink(dir.resolve("state.json")));
  }

  @Test
  void symlinkedLastKnownGood_isRefusedForTheRollback() throws IOException {
    Path victim = tmp.resolve("shadow");
    Files.writeString(victim, "root:x:0:0");
    Files.createSymbolicLink(tmp.resolve("last-known-good.cfg"), victim);
    IOException e = assertThrows(IOException.class, () -> new StateStore(tmp, log).lastKnownGood());
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }

  @Test
  void symlinkedBackupsDir_isRefused() throws IOException {
    Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Files.createSymbolicLink(dir.resolve("backups"), elsewhere);
    StateStore store = new StateStore(dir, log);
    IOException e = assertThrows(IOException.class,
        () -> store.keepLastKnownGood("x".getBytes(StandardCharsets.UTF_8), "haproxy.cfg", 3));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
    try (var files = Files.list(elsewhere)) {
      assertEquals(0, files.count());
    }
  }

  @Test
  void symlinkedLock_isRefused() throws IOException {
    Path victim = tmp.resolve("victim");
    Files.writeString(victim, "keep");
    Path dir = Files.createDirectory(tmp.resolve("state"));
    Files.createSymbolicLink(dir.resolve("lock"), victim);
    assertThrows(IOException.class, () -> StateLock.acquire(dir, Duration.ZERO, Clock.SYSTEM));
    assertEquals("keep", Files.readString(victim));
  }
}
