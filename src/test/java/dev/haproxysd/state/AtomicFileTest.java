package dev.haproxysd.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.haproxysd.testing.Cli;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileTest {
  private final FileSystem fs = Jimfs.newFileSystem(
      Configuration.unix().toBuilder().setAttributeViews("basic", "owner", "posix", "unix").build());

  @AfterEach
  void close() throws IOException {
    fs.close();
  }

  private List<String> listing(Path dir) throws IOException {
    try (var files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void write_createsTheFileWithTheDefaultModeAndLeavesNoTempFile() throws IOException {
    Path dir = Files.createDirectories(fs.getPath("/etc/haproxy"));
    Path target = dir.resolve("haproxy.cfg");
    AtomicFile.write(target, "new\n".getBytes(StandardCharsets.UTF_8));
    assertEquals("new\n", Files.readString(target));
    assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    assertEquals(List.of("haproxy.cfg"), listing(dir));
  }

  @Test
  void write_replacesTheContentAndKeepsTheOldMode() throws IOException {
    Path dir = Files.createDirectories(fs.getPath("/etc/haproxy"));
    Path target = dir.resolve("haproxy.cfg");
    Files.writeString(target, "old\n");
    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r-----"));
    byte[] content = "x".repeat(100_000).getBytes(StandardCharsets.UTF_8);
    AtomicFile.write(target, content);
    assertArrayEquals(content, Files.readAllBytes(target));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(target)));
    assertEquals(List.of("haproxy.cfg"), listing(dir));
  }

  @Test
  void write_intoAMissingDirectoryFailsAndCreatesNothing() {
    Path target = fs.getPath("/nowhere/haproxy.cfg");
    assertThrows(IOException.class, () -> AtomicFile.write(target, new byte[] {1}));
    assertEquals(false, Files.exists(fs.getPath("/nowhere")));
  }

  // --- on the real file system: pending/commit, leftovers, and SIGKILL

  @TempDir Path dir;

  @Test
  void pendingNotCommitted_leavesTheTargetAndNoTempFile() throws IOException {
    Path target = Files.writeString(dir.resolve("haproxy.cfg"), "old");
    try (AtomicFile.Pending pending = AtomicFile.prepare(target, bytes("new"), AtomicFile.MODE_0644)) {
      assertEquals(dir, pending.path().getParent());
      assertEquals("new", Files.readString(pending.path()));
    }
    assertEquals("old", Files.readString(target));
    assertEquals(List.of(target), list());
  }

  @Test
  void removeLeftovers_deletesOnlyThisTargetsCandidates() throws IOException {
    Path target = dir.resolve("haproxy.cfg");
    Path ours = Files.writeString(dir.resolve(".haproxy.cfg.42.tmp"), "x");
    Path other = Files.writeString(dir.resolve(".haproxy.cfg.bak"), "x");
    Path otherTarget = Files.writeString(dir.resolve(".other.cfg.42.tmp"), "x");
    assertEquals(List.of(ours), AtomicFile.removeLeftovers(target));
    assertTrue(Files.exists(other) && Files.exists(otherTarget));
  }

  /** SIGKILL a process that replaces a 2 MB file in a loop, at whatever moment it is at: old or new, never torn. */
  @Test
  void killedAtAnArbitraryMoment_leavesOneCompleteVersion() throws Exception {
    Path target = dir.resolve("big.cfg");
    int size = 2 << 20;
    for (int round = 0; round < 3; round++) {
      Process writer = Cli.javaProcess("dev.haproxysd.testing.WriteForever",
          List.of(target.toString(), Integer.toString(size))).start();
      BufferedReader lines = new BufferedReader(new InputStreamReader(writer.getInputStream(),
          StandardCharsets.UTF_8));
      for (int i = 0; i < 3 + round; i++) {
        assertTrue(lines.readLine() != null, "writer died");
      }
      writer.destroyForcibly();
      writer.waitFor();

      byte[] content = Files.readAllBytes(target);
      assertEquals(size, content.length);
      byte first = content[0];
      assertTrue(first == 'a' || first == 'b');
      for (byte b : content) {
        if (b != first) {
          throw new AssertionError("torn file: mixed content");
        }
      }
      AtomicFile.removeLeftovers(target);
    }
    assertFalse(list().stream().anyMatch(p -> p.toString().endsWith(".tmp")));
  }

  private List<Path> list() throws IOException {
    try (var s = Files.list(dir)) {
      return s.toList();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
