package dev.haproxysd.fleet;

import java.time.Instant;
import java.util.Objects;

/**
 * What S3 says about a published inventory without its body: which content it is and when it was discovered.
 *
 * @param etag S3's ETag, quotes included
 * @param sha256 the body's SHA-256 as the publisher recorded it ({@code x-amz-meta-inventory-sha256}), or null for an
 *     object some other tool uploaded
 * @param discoveredAt when the publisher's discovery ran ({@code x-amz-meta-discovered-at}), else S3's Last-Modified
 * @param fromMetadata true when {@code discoveredAt} is the publisher's own record, false when it is Last-Modified
 */
record ObjectVersion(String etag, String sha256, Instant discoveredAt, boolean fromMetadata) {
  static final String DISCOVERED_AT = "discovered-at";
  static final String SHA256 = "inventory-sha256";

  ObjectVersion {
    Objects.requireNonNull(discoveredAt, "discoveredAt");
  }

  /**
   * Which content this is, for the reader's cache: the publisher's SHA-256 when there is one (an ETag need not
   * follow the content: SSE-KMS, multipart uploads), else the ETag.
   */
  String contentId() {
    return sha256 != null ? "sha256:" + sha256 : "etag:" + etag;
  }

  /** E.g. {@code discovered at 2026-12-02T13:00:00Z}, or {@code uploaded at ... (S3 Last-Modified)}. */
  String describeTime() {
    return fromMetadata ? "discovered at " + discoveredAt : "uploaded at " + discoveredAt + " (S3 Last-Modified)";
  }
}
