package dev.haproxysd.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.checksums.DefaultChecksumAlgorithm;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4FamilyHttpSigner;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.model.Credentials;

/**
 * The fakes check SigV4 as AWS does: a key id paired with another secret than the one handed out with it is refused
 * in each protocol's own terms, through the real SDK clients; and {@link SigV4} accepts exactly what the SDK's own
 * signer produces, chunk by chunk, and nothing altered after signing.
 */
@Timeout(60)
class SigV4Test {
  private static final String ROLE = "arn:aws:iam::222233334444:role/haproxy-sd";
  private static final String WRONG_SECRET = "not-the-secret-that-was-handed-out";

  private final FakeAws aws = FakeAws.start();
  private final FakeS3 s3 = FakeS3.start();

  @AfterEach
  void stop() {
    aws.close();
    s3.close();
  }

  @Test
  void anAssumedKeyWithItsSecret_isServed_withAnotherSecret_isSignatureDoesNotMatch() {
    aws.group("web").tag("env", "test");
    Credentials assumed = assumeRole();
    AwsSessionCredentials right = AwsSessionCredentials.create(assumed.accessKeyId(), assumed.secretAccessKey(),
        assumed.sessionToken());
    AwsSessionCredentials wrong = AwsSessionCredentials.create(assumed.accessKeyId(), WRONG_SECRET,
        assumed.sessionToken());

    try (AutoScalingClient client = autoScaling(right)) {
      assertEquals(1, client.describeAutoScalingGroups().autoScalingGroups().size());
    }
    try (AutoScalingClient client = autoScaling(wrong)) {
      AwsServiceException e = assertThrows(AwsServiceException.class, client::describeAutoScalingGroups);
      assertRefused(e, 403, "SignatureDoesNotMatch");
    }
    try (Ec2Client client = Ec2Client.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
        .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(StaticCredentialsProvider.create(wrong))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build()) {
      AwsServiceException e = assertThrows(AwsServiceException.class, client::describeInstances);
      assertRefused(e, 403, "SignatureDoesNotMatch");
    }
  }

  @Test
  void cloudMap_withAnotherSecret_isInvalidSignatureException() {
    try (ServiceDiscoveryClient client = ServiceDiscoveryClient.builder().endpointOverride(aws.endpoint())
        .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeAws.ACCESS_KEY,
            WRONG_SECRET)))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build()) {
      AwsServiceException e = assertThrows(AwsServiceException.class, client::listNamespaces);
      assertRefused(e, 400, "InvalidSignatureException");
    }
  }

  @Test
  void anAssumedKeyWithAnotherSessionToken_orAKeyNeverHandedOut_isInvalidClientTokenId() {
    Credentials assumed = assumeRole();
    try (AutoScalingClient client = autoScaling(AwsSessionCredentials.create(assumed.accessKeyId(),
        assumed.secretAccessKey(), "another-token"))) {
      assertRefused(assertThrows(AwsServiceException.class, client::describeAutoScalingGroups), 403,
          "InvalidClientTokenId");
    }
    try (AutoScalingClient client = autoScaling(AwsBasicCredentials.create("AKIDNEVERHANDEDOUT", "any"))) {
      assertRefused(assertThrows(AwsServiceException.class, client::describeAutoScalingGroups), 403,
          "InvalidClientTokenId");
    }
  }

  @Test
  void s3Upload_withItsSecret_isStored_withAnotherSecret_isSignatureDoesNotMatch() {
    s3.bucket("fleet");
    Credentials assumed = assumeRole();
    byte[] body = new byte[300_000]; // three chunks of the SDK's 128 KiB and the final empty one
    Arrays.fill(body, (byte) 'x');

    try (S3Client client = s3(AwsSessionCredentials.create(assumed.accessKeyId(), assumed.secretAccessKey(),
        assumed.sessionToken()))) {
      client.putObject(r -> r.bucket("fleet").key("inventory.json"), RequestBody.fromBytes(body));
    }
    assertArrayEquals(body, s3.object("fleet", "inventory.json").body());
    try (S3Client client = s3(AwsSessionCredentials.create(assumed.accessKeyId(), WRONG_SECRET,
        assumed.sessionToken()))) {
      AwsServiceException put = assertThrows(AwsServiceException.class,
          () -> client.putObject(r -> r.bucket("fleet").key("other.json"), RequestBody.fromBytes(body)));
      assertRefused(put, 403, "SignatureDoesNotMatch");
      AwsServiceException get = assertThrows(AwsServiceException.class,
          () -> client.getObjectAsBytes(r -> r.bucket("fleet").key("inventory.json")));
      assertRefused(get, 403, "SignatureDoesNotMatch");
    }
  }

  @Test
  void theSdksChunkedUpload_withASignedTrailer_holds_andAnyByteChangedAfterSigning_doesNot() throws IOException {
    byte[] body = new byte[200_000];
    Arrays.fill(body, (byte) 'y');
    SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
        .identity(AwsCredentialsIdentity.create(FakeAws.ACCESS_KEY, System.getProperty("aws.secretAccessKey")))
        .request(SdkHttpRequest.builder().method(SdkHttpMethod.PUT)
            .uri(URI.create("http://127.0.0.1:8080/fleet/a%20key.json?x-id=PutObject"))
            .putHeader("Content-Length", String.valueOf(body.length)).build())
        .payload(ContentStreamProvider.fromByteArray(body))
        .putProperty(AwsV4FamilyHttpSigner.SERVICE_SIGNING_NAME, "s3")
        .putProperty(AwsV4HttpSigner.REGION_NAME, "eu-west-1")
        .putProperty(AwsV4FamilyHttpSigner.DOUBLE_URL_ENCODE, false)
        .putProperty(AwsV4FamilyHttpSigner.NORMALIZE_PATH, false)
        .putProperty(AwsV4FamilyHttpSigner.CHUNK_ENCODING_ENABLED, true)
        .putProperty(AwsV4FamilyHttpSigner.PAYLOAD_SIGNING_ENABLED, true)
        .putProperty(AwsV4FamilyHttpSigner.CHECKSUM_ALGORITHM, DefaultChecksumAlgorithm.CRC32));
    Headers headers = new Headers();
    signed.request().forEachHeader((name, values) -> values.forEach(v -> headers.add(name, v)));
    byte[] wire;
    try (InputStream in = signed.payload().orElseThrow().newStream()) {
      wire = in.readAllBytes();
    }
    assertTrue(headers.getFirst("x-amz-content-sha256").equals("STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"),
        headers.toString());

    assertEquals(null, verify(signed, headers, wire).failure(), "as signed");

    byte[] chunkChanged = wire.clone();
    int inFirstChunk = new String(wire, StandardCharsets.US_ASCII).indexOf("\r\n") + 10;
    chunkChanged[inFirstChunk] = 'z';
    SigV4.Verdict chunk = verify(signed, headers, chunkChanged);
    assertEquals(SigV4.Failure.MISMATCH, chunk.failure());
    assertTrue(chunk.detail().startsWith("AWS4-HMAC-SHA256-PAYLOAD\n"), chunk.detail());

    String text = new String(wire, StandardCharsets.ISO_8859_1);
    byte[] trailerChanged = text.replaceFirst("x-amz-checksum-crc32:[^\r]+", "x-amz-checksum-crc32:AAAAAA==")
        .getBytes(StandardCharsets.ISO_8859_1);
    SigV4.Verdict trailer = verify(signed, headers, trailerChanged);
    assertEquals(SigV4.Failure.MISMATCH, trailer.failure());
    assertTrue(trailer.detail().startsWith("AWS4-HMAC-SHA256-TRAILER\n"), trailer.detail());
  }

  // --- fixtures

  private static SigV4.Verdict verify(SignedRequest signed, Headers headers, byte[] wire) {
    return SigV4.verify("PUT", signed.request().getUri(), headers.getFirst("Host"), headers, wire, true);
  }

  private static void assertRefused(AwsServiceException e, int status, String code) {
    assertEquals(status, e.statusCode(), e.toString());
    assertEquals(code, e.awsErrorDetails().errorCode(), e.toString());
  }

  private Credentials assumeRole() {
    try (StsClient sts = StsClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(FakeAws.ACCESS_KEY,
            System.getProperty("aws.secretAccessKey"))))
        .build()) {
      return sts.assumeRole(r -> r.roleArn(ROLE).roleSessionName("sigv4-test")).credentials();
    }
  }

  private AutoScalingClient autoScaling(AwsCredentials credentials) {
    return AutoScalingClient.builder().endpointOverride(aws.endpoint()).region(Region.US_EAST_1)
        .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }

  private S3Client s3(AwsCredentials credentials) {
    return S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true).region(Region.US_EAST_1)
        .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(StaticCredentialsProvider.create(credentials))
        .overrideConfiguration(o -> o.retryStrategy(DefaultRetryStrategy.doNotRetry())).build();
  }
}
