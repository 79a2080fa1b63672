package dev.haproxysd.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Numbered copies {@code NAME.1} (newest) .. {@code NAME.keep}, rotated like logrotate does. */
final class Backups {
  private final Path dir;
  private final String name;
  private final int keep;

  Backups(Path dir, String name, int keep) {
    if (keep < 0) {
      throw new IllegalArgumentException("keep (" + keep + ") must not be negative");
    }
    this.dir = dir;
    this.name = name;
    this.keep = keep;
  }

  /** Shifts NAME.i to NAME.i+1 (dropping the oldest) and writes {@code content} as NAME.1 with {@code mode}. */
  void add(byte[] content, Set<PosixFilePermission> mode) throws IOException {
    if (keep == 0) {
      return;
    }
    StateStore.createPrivateDirectory(dir);
    Files.deleteIfExists(file(keep));
    for (int i = keep - 1; i >= 1; i--) {
      if (Files.exists(file(i))) {
        Files.move(file(i), file(i + 1), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
    }
    AtomicFile.writeWithMode(file(1), content, mode);
  }

  /** The backups that exist, newest first. */
  List<Path> list() {
    List<Path> files = new ArrayList<>();
    for (int i = 1; i <= keep; i++) {
      if (Files.exists(file(i))) {
        files.add(file(i));
      }
    }
    return files;
  }

  private Path file(int i) {
    return dir.resolve(name + "." + i);
  }
}
