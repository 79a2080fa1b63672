package dev.haproxysd.state;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

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
}
