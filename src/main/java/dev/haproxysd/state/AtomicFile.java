package dev.haproxysd.state;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/**
 * Replaces a file atomically: write a temp file in the same directory, fsync it, give it the old file's mode and
 * owner, rename it over the target, fsync the directory. A reader (or a crash) sees the old bytes or the new bytes.
 */
public final class AtomicFile {
  private AtomicFile() {}

  /** Writes {@code content} to {@code target}; a new file gets {@code defaultMode}, an existing one keeps its own. */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> defaultMode) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      copyOwnerAndMode(target, temp, defaultMode);
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
      }
    } finally {
      Files.deleteIfExists(temp);
    }
    syncDirectory(dir);
  }

  /** {@link #write(Path, byte[], Set)} with mode 0644 for a new file. */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
        PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
  }

  private static void copyOwnerAndMode(Path target, Path temp, Set<PosixFilePermission> defaultMode)
      throws IOException {
    PosixFileAttributeView tempView = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
    if (tempView == null) {
      return;
    }
    if (Files.exists(target)) {
      PosixFileAttributes old = Files.readAttributes(target, PosixFileAttributes.class);
      tempView.setPermissions(old.permissions());
      if (!old.owner().equals(Files.getOwner(temp, LinkOption.NOFOLLOW_LINKS))) {
        tempView.setOwner(old.owner());
      }
      if (!old.group().equals(Files.readAttributes(temp, PosixFileAttributes.class).group())) {
        tempView.setGroup(old.group());
      }
    } else {
      tempView.setPermissions(defaultMode);
    }
  }

  private static void syncDirectory(Path dir) throws IOException {
    if (dir.getFileSystem() != FileSystems.getDefault()) {
      return; // only a real directory has anything to sync (Jimfs in tests)
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }
}
