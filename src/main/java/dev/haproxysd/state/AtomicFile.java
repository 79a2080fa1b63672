package dev.haproxysd.state;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Replaces a file atomically: write a temp file in the same directory, fsync it, give it the old file's mode and
 * owner, rename it over the target, fsync the directory. A reader (or a crash) sees the old bytes or the new bytes.
 *
 * <p>{@link #prepare} splits that in two, so the exact bytes that will be installed can be checked first:
 *
 * <pre>{@code
 * try (AtomicFile.Pending candidate = AtomicFile.prepare(target, bytes, mode)) {
 *   check(candidate.path());   // e.g. haproxy -c, on the complete, fsynced candidate next to the target
 *   candidate.commit();        // rename over the target, fsync the directory
 * }                            // not committed: the candidate is deleted, the target untouched
 * }</pre>
 */
public final class AtomicFile {
  static final Set<PosixFilePermission> MODE_0644 = Set.of(PosixFilePermission.OWNER_READ,
      PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
  private static final String TEMP_SUFFIX = ".tmp";

  private AtomicFile() {}

  /** Writes {@code content} to {@code target}; a new file gets {@code defaultMode}, an existing one keeps its own. */
  public static void write(Path target, byte[] content, Set<PosixFilePermission> defaultMode) throws IOException {
    try (Pending pending = prepare(target, content, defaultMode)) {
      pending.commit();
    }
  }

  /** Writes {@code content} to {@code target} with exactly {@code mode}, whatever mode an existing file had. */
  public static void writeWithMode(Path target, byte[] content, Set<PosixFilePermission> mode) throws IOException {
    try (Pending pending = prepare(target, content, mode, false)) {
      pending.commit();
    }
  }

  /** {@link #write(Path, byte[], Set)} with mode 0644 for a new file. */
  public static void write(Path target, byte[] content) throws IOException {
    write(target, content, MODE_0644);
  }

  /** The bytes of {@code file}, or empty when there is no such file. */
  public static Optional<byte[]> read(Path file) throws IOException {
    try {
      return Optional.of(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** {@link #prepare(Path, byte[], Set)} with mode 0644 for a new file. */
  public static Pending prepare(Path target, byte[] content) throws IOException {
    return prepare(target, content, MODE_0644);
  }

  /**
   * Writes and fsyncs a complete temp file next to {@code target}, with the mode and owner it will have, without
   * touching {@code target}.
   */
  public static Pending prepare(Path target, byte[] content, Set<PosixFilePermission> defaultMode)
      throws IOException {
    return prepare(target, content, defaultMode, true);
  }

  private static Pending prepare(Path target, byte[] content, Set<PosixFilePermission> defaultMode,
      boolean keepExisting) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "directory does not exist");
    }
    Path temp;
    try {
      temp = Files.createTempFile(dir, tempPrefix(target), TEMP_SUFFIX);
    } catch (IOException e) {
      throw untouched(dir, target, e);
    }
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer buffer = ByteBuffer.wrap(content);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      copyOwnerAndMode(target, temp, defaultMode, keepExisting);
      return new Pending(temp, target, dir);
    } catch (IOException e) {
      Files.deleteIfExists(temp);
      throw untouched(dir, target, e);
    } catch (RuntimeException e) {
      Files.deleteIfExists(temp);
      throw e;
    }
  }

  /**
   * A failure to write the temp file (disk full, read-only, permissions) as one line naming the directory and the
   * file that stays as it was: the JDK's own message is just "No space left on device", or names the random temp file.
   */
  private static FileSystemException untouched(Path dir, Path target, IOException e) {
    String why = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : e.getMessage();
    FileSystemException named = new FileSystemException(dir.toString(), null,
        "cannot write a new " + target.getFileName() + " here: " + why + " (" + target + " is untouched)");
    named.initCause(e);
    return named;
  }

  /**
   * Deletes temp files {@link #prepare} left next to {@code target} when a process was killed before its rename.
   * Call it only while holding the lock that serialises writers of {@code target}.
   *
   * @return the files deleted
   */
  public static List<Path> removeLeftovers(Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    String prefix = tempPrefix(target);
    List<Path> removed = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return removed;
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, prefix + "*" + TEMP_SUFFIX)) {
      for (Path entry : entries) {
        if (Files.isRegularFile(entry, LinkOption.NOFOLLOW_LINKS) && Files.deleteIfExists(entry)) {
          removed.add(entry);
        }
      }
    }
    return removed;
  }

  private static String tempPrefix(Path target) {
    return "." + target.getFileName() + ".";
  }

  /** A complete temp file waiting to replace its target. Closing it without {@link #commit} deletes it. */
  public static final class Pending implements Closeable {
    private final Path temp;
    private final Path target;
    private final Path dir;
    private boolean committed;

    private Pending(Path temp, Path target, Path dir) {
      this.temp = temp;
      this.target = target;
      this.dir = dir;
    }

    /** The temp file: complete, fsynced, in the target's directory. */
    public Path path() {
      return temp;
    }

    /** Renames the temp file over the target and fsyncs the directory. */
    public void commit() throws IOException {
      try {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
      }
      committed = true;
      syncDirectory(dir);
    }

    @Override
    public void close() throws IOException {
      if (!committed) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private static void copyOwnerAndMode(Path target, Path temp, Set<PosixFilePermission> defaultMode,
      boolean keepExisting) throws IOException {
    PosixFileAttributeView tempView = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
    if (tempView == null) {
      return;
    }
    // NOFOLLOW: a symlink planted at the target must not lend us its victim's owner and mode (the rename replaces
    // the link itself, never the file it points to).
    if (keepExisting && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
      PosixFileAttributes old = Files.readAttributes(target, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
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
