package dev.haproxysd.fleet;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What S3 says about a published inventory without its body: which content it is and when it was discovered.
 *
 * @param etag S3's ETag, quotes included
 * @param sha256 the body's SHA-256 as the publisher recorded it ({@code x-amz-meta-inventory-sha256}), or null for an
 *     object some other tool uploaded
 * @param discoveredAt when the publisher's discovery ran by the publisher's clock ({@code x-amz-meta-discovered-at}),
 *     or null
 * @param lastModified when S3 stored the object, by S3's clock, or null; at least one of the two is known
 */
record ObjectVersion(String etag, String sha256, Instant discoveredAt, Instant lastModified) {
  static final String DISCOVERED_AT = "discovered-at";
  static final String SHA256 = "inventory-sha256";
  /** Clocks differ a little everywhere; beyond this a publisher's clock is wrong, and said to be. */
  static final Duration CLOCK_TOLERANCE = Duration.ofMinutes(1);
  private static final Duration LAST_MODIFIED_RESOLUTION = Duration.ofSeconds(1);

  ObjectVersion {
    if (discoveredAt == null && lastModified == null) {
      throw new IllegalArgumentException("neither discovered-at nor Last-Modified is known");
    }
  }

  /**
   * Which content this is, for the reader's cache: the publisher's SHA-256 when there is one (an ETag need not
   * follow the content: SSE-KMS, multipart uploads), else the ETag.
   */
  String contentId() {
    return sha256 != null ? "sha256:" + sha256 : "etag:" + etag;
  }

  /**
   * The time the object's age counts from: the older of its discovery time and S3's Last-Modified, so that a
   * publisher whose clock runs ahead cannot make its object look younger than S3 knows it is.
   */
  Instant since() {
    if (discoveredAt == null || lastModified == null) {
      return discoveredAt != null ? discoveredAt : lastModified;
    }
    // Last-Modified counts whole seconds: a discovery within its second is not later than the upload.
    return discoveredAt.isAfter(lastModified.plus(LAST_MODIFIED_RESOLUTION)) ? lastModified : discoveredAt;
  }

  /** How far the publisher's discovery time lies after S3 stored the object, when beyond {@link #CLOCK_TOLERANCE}. */
  Optional<Duration> publisherClockAhead() {
    if (discoveredAt == null || lastModified == null) {
      return Optional.empty();
    }
    Duration ahead = Duration.between(lastModified, discoveredAt);
    return ahead.compareTo(CLOCK_TOLERANCE) > 0 ? Optional.of(ahead) : Optional.empty();
  }

  /** E.g. {@code discovered at 2026-12-02T13:00:00Z}, or {@code uploaded at ... (S3 Last-Modified)}. */
  String describeTime() {
    return since().equals(discoveredAt) ? "discovered at " + discoveredAt
        : "uploaded at " + lastModified + " (S3 Last-Modified)";
  }
}
