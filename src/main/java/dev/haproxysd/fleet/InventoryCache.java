package dev.haproxysd.fleet;

import dev.haproxysd.model.Log;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.state.AtomicFile;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * The last inventory {@code apply} fetched from S3, kept in the state directory ({@code s3-inventory.cache}) so that
 * a run whose object did not change needs one HEAD request and no download. One file, written atomically: a header
 * line naming the URL, the object's content id and the body's SHA-256 (all hashed), then the body as S3 sent it.
 * Anything that does not match is ignored (with a warning when it looks damaged): the cache only saves a download.
 */
final class InventoryCache {
  static final String FILE_NAME = "s3-inventory.cache";
  private static final String MAGIC = "haproxy-sd-s3-inventory-cache 1";
  private static final Set<PosixFilePermission> MODE_0600 =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);

  private final Path file;
  private final Log log;

  InventoryCache(Path stateDir, Log log) {
    this.file = stateDir.resolve(FILE_NAME);
    this.log = log;
  }

  /** What the cache holds for {@code at}, whichever content that is. */
  Optional<Entry> entry(S3Location at) {
    return read().filter(e -> e.url().equals(Sha256.of(at.toString()).hex()));
  }

  void store(S3Location at, String contentId, byte[] body) throws IOException {
    String header = MAGIC + " " + Sha256.of(at.toString()).hex() + " " + Sha256.of(contentId).hex() + " "
        + Sha256.of(body).hex() + "\n";
    byte[] head = header.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, all, head.length, body.length);
    AtomicFile.write(file, all, MODE_0600);
  }

  /** A cached download: hashes of its URL and content id, and the body. */
  record Entry(String url, String content, byte[] body) {
    boolean is(String contentId) {
      return content.equals(Sha256.of(contentId).hex());
    }
  }

  private Optional<Entry> read() {
    byte[] all;
    // NOFOLLOW: a symbolic link in the state directory could point at any file.
    try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS))) {
      all = Channels.newInputStream(channel).readAllBytes();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      log.warn("cannot read " + file + " (" + e.getMessage() + "): fetching the inventory again");
      return Optional.empty();
    }
    int newline = indexOf(all, (byte) '\n');
    String[] fields = newline < 0 ? new String[0]
        : new String(all, 0, newline, StandardCharsets.US_ASCII).split(" ");
    byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(all, newline + 1, all.length);
    if (fields.length != 5 || !(fields[0] + " " + fields[1]).equals(MAGIC)
        || !fields[4].equals(Sha256.of(body).hex())) {
      log.warn("ignoring " + file + ": it is damaged (an interrupted write?); fetching the inventory again");
      return Optional.empty();
    }
    return Optional.of(new Entry(fields[2], fields[3], body));
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
