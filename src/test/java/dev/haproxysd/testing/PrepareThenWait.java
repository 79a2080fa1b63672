package dev.haproxysd.testing;

import dev.haproxysd.state.AtomicFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.nio.file.attribute.PosixFilePermission;

/**
 * A process to kill with SIGKILL between the write and the rename of an install: it prepares the candidate exactly
 * as apply does ({@link AtomicFile#prepare}), prints {@code prepared PATH}, and waits forever before the commit.
 *
 * <p>Usage: {@code PrepareThenWait TARGET CONTENT_FILE}
 */
public final class PrepareThenWait {
  private PrepareThenWait() {}

  public static void main(String[] args) throws Exception {
    Path target = Path.of(args[0]);
    byte[] content = Files.readAllBytes(Path.of(args[1]));
    AtomicFile.Pending pending = AtomicFile.prepare(target, content,
        Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    System.out.println("prepared " + pending.path());
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }
}
