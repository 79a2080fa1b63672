package dev.haproxysd.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code aws-chunked} content encoding of an S3 upload: {@code HEX[;chunk-signature=SIG]\r\nDATA\r\n}... up to
 * the empty chunk, then trailers ({@code x-amz-checksum-crc32:...}, {@code x-amz-trailer-signature:...}).
 *
 * @param chunks every chunk, the final empty one included, with its signature (null when unsigned)
 * @param trailers by lower-case name, in the order sent
 */
record AwsChunked(List<Chunk> chunks, Map<String, String> trailers) {
  record Chunk(byte[] data, String signature) {}

  /** The decoded body. */
  byte[] body() {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    chunks.forEach(c -> body.writeBytes(c.data()));
    return body.toByteArray();
  }

  static AwsChunked decode(byte[] raw) {
    List<Chunk> chunks = new ArrayList<>();
    Map<String, String> trailers = new LinkedHashMap<>();
    int at = 0;
    while (true) {
      int eol = lineEnd(raw, at);
      String[] header = new String(raw, at, eol - at, StandardCharsets.US_ASCII).split(";", 2);
      int size = Integer.parseInt(header[0].trim(), 16);
      String signature = header.length > 1 && header[1].startsWith("chunk-signature=")
          ? header[1].substring("chunk-signature=".length()).trim() : null;
      at = eol + 2;
      byte[] data = new byte[size];
      System.arraycopy(raw, at, data, 0, size);
      chunks.add(new Chunk(data, signature));
      if (size == 0) {
        break;
      }
      at += size + 2;
    }
    while (at < raw.length) {
      int eol = lineEnd(raw, at);
      String line = new String(raw, at, eol - at, StandardCharsets.US_ASCII);
      at = eol + 2;
      int colon = line.indexOf(':');
      if (colon > 0) {
        trailers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
      }
    }
    return new AwsChunked(List.copyOf(chunks), trailers);
  }

  private static int lineEnd(byte[] raw, int from) {
    for (int i = from; i + 1 < raw.length; i++) {
      if (raw[i] == '\r' && raw[i + 1] == '\n') {
        return i;
      }
    }
    return raw.length;
  }
}
