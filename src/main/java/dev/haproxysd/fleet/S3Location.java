package dev.haproxysd.fleet;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An S3 object, {@code s3://BUCKET/KEY}: where a publisher puts the inventory and readers get it. The key is taken
 * as written (no percent-decoding), as the AWS CLI does.
 *
 * <p>Example: {@code S3Location.parse("s3://acme-lb/prod/inventory.json")} is bucket {@code acme-lb}, key {@code
 * prod/inventory.json}.
 */
public record S3Location(String bucket, String key) {
  public static final String SCHEME = "s3://";
  /** S3's bucket naming rules: 3-63 lower-case letters, digits, dots and hyphens, a letter or digit at each end. */
  private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final int MAX_KEY_BYTES = 1024;

  public S3Location {
    if (bucket == null || !BUCKET.matcher(bucket).matches() || bucket.contains("..")) {
      throw new IllegalArgumentException("bucket name '" + bucket + "' is not valid (3-63 lower-case letters, "
          + "digits, dots and hyphens, starting and ending with a letter or digit)");
    }
    if (key == null || key.isEmpty()) {
      throw new IllegalArgumentException("an object key is missing: expected s3://BUCKET/KEY");
    }
    if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
      throw new IllegalArgumentException("the object key is longer than " + MAX_KEY_BYTES + " bytes");
    }
    if (key.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("the object key contains a control character");
    }
  }

  /** True for anything that claims to be an S3 URL ({@code s3:}, any case), so a typo is not taken for a file. */
  public static boolean looksLikeS3(String text) {
    return text.toLowerCase(Locale.ROOT).startsWith("s3:");
  }

  /**
   * Parses {@code s3://BUCKET/KEY}.
   *
   * @throws IllegalArgumentException naming what is wrong, e.g. {@code an object key is missing}
   */
  public static S3Location parse(String text) {
    if (!text.startsWith(SCHEME)) {
      throw new IllegalArgumentException("expected s3://BUCKET/KEY, not '" + text + "'");
    }
    String rest = text.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("an object key is missing in '" + text + "': expected s3://BUCKET/KEY");
    }
    try {
      return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " in '" + text + "'", e);
    }
  }

  @Override
  public String toString() {
    return SCHEME + bucket + "/" + key;
  }
}
