package dev.haproxysd.state;

import dev.haproxysd.model.Clock;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * One apply at a time per state directory: an exclusive {@link FileChannel#tryLock} on {@code STATE_DIR/lock}. The
 * kernel drops the lock when the process dies, so a killed run never leaves a stale lock behind; the file itself
 * is never deleted (deleting it would let two runs lock two different inodes).
 */
public final class StateLock implements AutoCloseable {
  static final String FILE_NAME = "lock";
  private static final Duration RETRY = Duration.ofMillis(100);

  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock, waiting up to {@code timeout} (zero: try once).
   *
   * @throws LockedException when another run still holds it after {@code timeout}
   * @throws IOException when the lock file cannot be opened, or is a symbolic link
   */
  public static StateLock acquire(Path stateDir, Duration timeout, Clock clock) throws IOException {
    StateStore.createPrivateDirectory(stateDir);
    Path file = stateDir.resolve(FILE_NAME);
    if (Files.isSymbolicLink(file)) {
      throw new IOException(file + " is a symbolic link; refusing to lock through it (remove it)");
    }
    // NOFOLLOW_LINKS closes the race between the check above and the open.
    FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        LinkOption.NOFOLLOW_LINKS);
    try {
      Clock.Deadline deadline = clock.deadline(timeout);
      while (true) {
        FileLock lock = tryLock(channel);
        if (lock != null) {
          return new StateLock(channel, lock);
        }
        if (deadline.passed()) {
          throw new LockedException(file, timeout);
        }
        clock.sleep(RETRY);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      channel.close();
      throw new IOException("interrupted while waiting for " + file, e);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  private static FileLock tryLock(FileChannel channel) throws IOException {
    try {
      return channel.tryLock();
    } catch (OverlappingFileLockException e) {
      return null; // held by another run in this same JVM (tests, or an embedding program)
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
