package dev.haproxysd.fleet;

import dev.haproxysd.aws.AwsClients;
import dev.haproxysd.aws.AwsEnvironment;
import dev.haproxysd.aws.AwsException;
import dev.haproxysd.aws.AwsFailure;
import dev.haproxysd.aws.AwsSession;
import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.aws.AwsSettings;
import dev.haproxysd.model.Log;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The S3 requests the fleet makes (PutObject, HeadObject, GetObject, ListObjectsV2), each turning any failure into
 * one {@link S3InventoryException} line: what failed, what S3 said, what to do. The only class here that calls the
 * SDK.
 */
final class S3Objects {
  /** What to check when an inventory is missing ({@code %s}: its URL). */
  private static final String PUBLISHER = "has the publisher run yet ('haproxy-sd discover --publish %s')? Check the URL";

  private final AwsClients clients;
  private final Log log;

  /**
   * S3 in the session's first pair: the first {@code --role-arn} (if any) in the first {@code --region}. One
   * bucket, one identity: the inventory is the whole fleet's, not a pair's.
   */
  S3Objects(AwsSession session, Log log) {
    this.clients = session.clients(session.pairs().get(0));
    this.log = log;
  }

  /**
   * The AWS session of a publish or a read.
   *
   * @throws S3InventoryException when AWS cannot be reached as configured (no region): exit code 24, as any other
   *     S3 failure of the fleet
   */
  static AwsSessions.Lease open(AwsSessions sessions, AwsSettings settings, Log log) {
    try {
      return sessions.lease(settings, AwsEnvironment.system(), log);
    } catch (AwsException e) {
      throw new S3InventoryException(e.getMessage(), e);
    }
  }

  /** A body and its version, from one GetObject. */
  record Fetched(byte[] body, ObjectVersion version) {}

  /** @return the new object's ETag */
  String put(S3Location at, byte[] body, Instant discoveredAt, String sha256) {
    PutObjectResponse response = call("PutObject", "s3:PutObject", at, PUBLISHER, () -> client().putObject(
        PutObjectRequest.builder().bucket(at.bucket()).key(at.key()).contentType("application/json")
            .metadata(Map.of(ObjectVersion.DISCOVERED_AT, discoveredAt.toString(), ObjectVersion.SHA256, sha256))
            .build(),
        RequestBody.fromBytes(body)));
    return response.eTag();
  }

  ObjectVersion head(S3Location at) {
    HeadObjectResponse r = call("HeadObject", "s3:GetObject", at, PUBLISHER,
        () -> client().headObject(HeadObjectRequest.builder().bucket(at.bucket()).key(at.key()).build()));
    return version(at, r.eTag(), r.metadata(), r.lastModified());
  }

  Fetched get(S3Location at) {
    ResponseBytes<GetObjectResponse> bytes = call("GetObject", "s3:GetObject", at, PUBLISHER,
        () -> client().getObjectAsBytes(GetObjectRequest.builder().bucket(at.bucket()).key(at.key()).build()));
    GetObjectResponse r = bytes.response();
    return new Fetched(bytes.asByteArray(), version(at, r.eTag(), r.metadata(), r.lastModified()));
  }

  /** A plain object, no metadata: what {@code haproxy-sd} writes besides the inventory (drain reports). */
  void putPlain(S3Location at, byte[] body, String hint) {
    call("PutObject", "s3:PutObject", at, hint, () -> client().putObject(PutObjectRequest.builder().bucket(at.bucket())
        .key(at.key()).contentType("application/json").build(), RequestBody.fromBytes(body)));
  }

  /** The body of an object, nothing else. */
  byte[] getPlain(S3Location at, String hint) {
    return call("GetObject", "s3:GetObject", at, hint, () -> client().getObjectAsBytes(GetObjectRequest.builder()
        .bucket(at.bucket()).key(at.key()).build())).asByteArray();
  }

  /** An object a listing names. */
  record Listed(String key, Instant lastModified, long size) {}

  /** Every object under {@code prefix}, page by page (ListObjectsV2 with its continuation token). */
  List<Listed> list(String bucket, String prefix, String hint) {
    String where = S3Location.SCHEME + bucket + "/" + prefix;
    List<Listed> listed = new ArrayList<>();
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page = call("ListObjectsV2", "s3:ListBucket", where, "arn:aws:s3:::" + bucket
          + " (with the condition s3:prefix = " + prefix + ")", hint, () -> client().listObjectsV2(
              ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).continuationToken(continuation).build()));
      page.contents().forEach(o -> listed.add(new Listed(o.key(), o.lastModified(), o.size() == null ? 0 : o.size())));
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return listed;
  }

  private S3Client client() {
    try {
      return clients.s3();
    } catch (AwsException e) {
      throw new S3InventoryException(e.getMessage(), e); // credentials as configured cannot be set up
    }
  }

  private ObjectVersion version(S3Location at, String etag, Map<String, String> metadata, Instant lastModified) {
    String sha256 = metadata.get(ObjectVersion.SHA256);
    Optional<Instant> discovered = Optional.ofNullable(metadata.get(ObjectVersion.DISCOVERED_AT)).flatMap(text -> {
      try {
        return Optional.of(Instant.parse(text));
      } catch (DateTimeParseException e) {
        log.warn(at + ": ignoring its unreadable x-amz-meta-" + ObjectVersion.DISCOVERED_AT + " '"
            + AwsFailure.clip(text) + "': its age is taken from S3's Last-Modified");
        return Optional.empty();
      }
    });
    if (discovered.isEmpty() && lastModified == null) {
      throw new S3InventoryException(at + ": S3 sent neither x-amz-meta-" + ObjectVersion.DISCOVERED_AT
          + " nor Last-Modified: its age is unknown; publish it with 'haproxy-sd discover --publish'", null);
    }
    return new ObjectVersion(etag, sha256, discovered.orElse(null), lastModified);
  }

  private interface Request<T> {
    T send();
  }

  private <T> T call(String api, String iamAction, S3Location at, String missing, Request<T> request) {
    return call(api, iamAction, at.toString(), "arn:aws:s3:::" + at.bucket() + "/" + at.key(), missing, request);
  }

  /**
   * @param where the URL, for the message
   * @param resource the IAM resource to allow on access denied
   * @param missing what to check when the bucket or object does not exist ({@code %s}: the URL)
   */
  private <T> T call(String api, String iamAction, String where, String resource, String missing,
      Request<T> request) {
    try {
      return request.send();
    } catch (SdkException e) {
      throw new S3InventoryException("S3 " + api + " " + where + " failed: " + describe(iamAction, where, resource,
          String.format(missing, where), e), e);
    }
  }

  /** S3's own cases first (HEAD answers have no body, so no error code: the status tells), then the shared ones. */
  private static String describe(String iamAction, String where, String resource, String missing, SdkException e) {
    if (e instanceof S3Exception s) {
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      if (s.statusCode() == 404 || "NoSuchKey".equals(code) || "NoSuchBucket".equals(code)) {
        String what = "NoSuchBucket".equals(code) ? "no such bucket (HTTP 404 NoSuchBucket)"
            : "no such object (HTTP 404" + (code == null ? "" : " " + code) + ")";
        return what + "; " + missing;
      }
      if (s.statusCode() == 403 && (code == null || "AccessDenied".equals(code))) {
        return "access denied (HTTP 403" + (code == null ? "" : " " + code) + "); allow " + iamAction + " on "
            + resource + " for these credentials" + (iamAction.equals("s3:GetObject")
            ? " (a missing object also answers 403 without s3:ListBucket)" : "");
      }
      if (s.statusCode() == 301 || "PermanentRedirect".equals(code)) {
        String region = s.awsErrorDetails() == null || s.awsErrorDetails().sdkHttpResponse() == null ? null
            : s.awsErrorDetails().sdkHttpResponse().firstMatchingHeader("x-amz-bucket-region").orElse(null);
        return "the bucket is in another region" + (region == null ? "" : " (" + AwsFailure.clip(region) + ")")
            + "; give --region " + (region == null ? "REGION" : AwsFailure.clip(region));
      }
    }
    return AwsFailure.describe(iamAction, e);
  }
}
