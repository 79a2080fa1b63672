package dev.haproxysd.fleet;

import dev.haproxysd.model.Log;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The last inventory {@code apply} fetched from S3, kept in the state directory ({@code s3-inventory.cache}, written
 * and read by {@link StateStore}) so that a run whose object did not change needs one HEAD request and no download.
 * One file, written atomically: a header line naming the URL, the object's content id and the body's SHA-256 (all
 * hashed), then the body as S3 sent it. Anything that does not match is ignored (with a warning when it looks
 * damaged): the cache only saves a download.
 */
final class InventoryCache {
  private static final String MAGIC = "haproxy-sd-s3-inventory-cache 1";

  private final StateStore store;
  private final Log log;

  InventoryCache(StateStore store, Log log) {
    this.store = store;
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
    store.recordS3InventoryCache(all);
  }

  /** A cached download: hashes of its URL and content id, and the body. */
  record Entry(String url, String content, byte[] body) {
    boolean is(String contentId) {
      return content.equals(Sha256.of(contentId).hex());
    }
  }

  private Optional<Entry> read() {
    byte[] all;
    try {
      Optional<byte[]> kept = store.s3InventoryCache();
      if (kept.isEmpty()) {
        return Optional.empty();
      }
      all = kept.get();
    } catch (IOException e) {
      log.warn("cannot read " + store.s3InventoryCacheFile() + " (" + e.getMessage() + "): fetching the inventory "
          + "again");
      return Optional.empty();
    }
    int newline = indexOf(all, (byte) '\n');
    String[] fields = newline < 0 ? new String[0]
        : new String(all, 0, newline, StandardCharsets.US_ASCII).split(" ");
    byte[] body = newline < 0 ? new byte[0] : Arrays.copyOfRange(all, newline + 1, all.length);
    if (fields.length != 5 || !(fields[0] + " " + fields[1]).equals(MAGIC)
        || !fields[4].equals(Sha256.of(body).hex())) {
      log.warn("ignoring " + store.s3InventoryCacheFile() + ": it is damaged (an interrupted write?); fetching the "
          + "inventory again");
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
