package dev.haproxysd.render;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** A rendered configuration: the exact bytes to install, and their SHA-256 for change detection. */
public record Rendered(String text) {

  public byte[] bytes() {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public String sha256() {
    return sha256(bytes());
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }
}
