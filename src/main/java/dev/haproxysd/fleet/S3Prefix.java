package dev.haproxysd.fleet;

/**
 * A "folder" of S3 objects, {@code s3://BUCKET/PREFIX/}: where the balancers of a fleet keep their drain reports,
 * one object each ({@code PREFIX/NAME.json}).
 */
public record S3Prefix(String bucket, String prefix) {
  public S3Prefix {
    java.util.Objects.requireNonNull(prefix, "prefix");
    // the same rules as for an object, checked on a key under the prefix
    new S3Location(bucket, prefix + "x");
    if (!prefix.isEmpty() && !prefix.endsWith("/")) {
      throw new IllegalArgumentException("the prefix '" + prefix + "' does not end with /");
    }
  }

  /**
   * Parses {@code s3://BUCKET/PREFIX/} (or {@code s3://BUCKET/} for the whole bucket).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static S3Prefix parse(String text) {
    if (!text.startsWith(S3Location.SCHEME) || text.indexOf('/', S3Location.SCHEME.length()) < 0
        || !text.endsWith("/")) {
      throw new IllegalArgumentException("expected s3://BUCKET/PREFIX/ (ending in /), not '" + text + "'");
    }
    String rest = text.substring(S3Location.SCHEME.length());
    int slash = rest.indexOf('/');
    try {
      return new S3Prefix(rest.substring(0, slash), rest.substring(slash + 1));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + " in '" + text + "'", e);
    }
  }

  /** The report of balancer {@code name}. */
  S3Location report(String name) {
    return new S3Location(bucket, prefix + name + ".json");
  }

  /** The balancer whose report {@code key} is, or null when the key is not a report's. */
  String balancerOf(String key) {
    if (!key.startsWith(prefix) || !key.endsWith(".json")) {
      return null;
    }
    String name = key.substring(prefix.length(), key.length() - ".json".length());
    return DrainReport.BALANCER.matcher(name).matches() ? name : null;
  }

  @Override
  public String toString() {
    return S3Location.SCHEME + bucket + "/" + prefix;
  }
}
