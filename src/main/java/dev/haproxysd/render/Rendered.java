package dev.haproxysd.render;

import dev.haproxysd.model.Sha256;
import java.nio.charset.StandardCharsets;

/** A rendered configuration: the exact bytes to install, and their SHA-256 for change detection. */
public record Rendered(String text) {

  public byte[] bytes() {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  public Sha256 sha256() {
    return Sha256.of(bytes());
  }
}
