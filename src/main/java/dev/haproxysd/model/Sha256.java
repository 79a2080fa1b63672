package dev.haproxysd.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A SHA-256 digest: how a config or an inventory is recognised across runs.
 *
 * <pre>{@code
 * Sha256 sha = Sha256.of(bytes);
 * sha.hex();      // "9f86d081884c7d65..." (64 lower-case hex digits; what state.json records)
 * sha.shortHex(); // "9f86d081884c" (12 digits, for log lines)
 * }</pre>
 */
public record Sha256(String hex) {
  private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");
  private static final int SHORT = 12;

  public Sha256 {
    if (hex == null || !HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("sha256 (" + hex + ") is not 64 lower-case hex digits");
    }
  }

  public static Sha256 of(byte[] bytes) {
    try {
      return new Sha256(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }

  /** The digest of {@code text} encoded as UTF-8. */
  public static Sha256 of(String text) {
    return of(text.getBytes(StandardCharsets.UTF_8));
  }

  /** The first 12 hex digits: enough to tell configs apart in a log line. */
  public String shortHex() {
    return hex.substring(0, SHORT);
  }

  // Written out, here and in the other records every run touches: a record's generated equals/hashCode/toString
  // link through ObjectMethods on first use, which cost a no-change apply ~25 ms (packaging/bench/README.md).
  @Override
  public boolean equals(Object other) {
    return other instanceof Sha256 that && hex.equals(that.hex);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @Override
  public String toString() {
    return hex;
  }
}
