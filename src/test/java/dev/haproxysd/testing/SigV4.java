package dev.haproxysd.testing;

import com.sun.net.httpserver.Headers;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * AWS Signature Version 4, checked as AWS checks it, for the fakes: the canonical request, the string to sign and the
 * HMAC chain from the secret that was handed out with the request's access key id; for S3 also the payload hash and,
 * for {@code aws-chunked} uploads, every chunk's signature and the trailer's. The secrets are those the fakes issue
 * ({@link #issued}: STS, SSO, container and instance credentials) and the build's static test key ({@code
 * aws.accessKeyId}/{@code aws.secretAccessKey}); a test that writes other keys into a profile registers them.
 *
 * <p>The key ids are unique to their secret in every fake (an STS key's number is in its secret), so one registry
 * serves all fakes of the JVM, also a {@link FakeAws} answering for another one's account.
 */
public final class SigV4 {
  private static final String ALGORITHM = "AWS4-HMAC-SHA256";
  private static final Pattern AUTHORIZATION = Pattern.compile(
      "AWS4-HMAC-SHA256 Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*SignedHeaders=([^,]+),"
          + "\\s*Signature=([0-9a-f]{64})");
  private static final String EMPTY_SHA256 = hex(sha256(new byte[0]));
  private static final Map<String, Key> ISSUED = new ConcurrentHashMap<>();

  private SigV4() {}

  /** A secret handed out, and the session token that must come with it (null for long-term keys). */
  private record Key(String secret, String sessionToken) {}

  /** How a request failed the check; AWS names each differently in each protocol. */
  public enum Failure {
    /** No SigV4 Authorization header at all. */
    UNSIGNED,
    /** The access key id was never handed out. */
    UNKNOWN_KEY,
    /** The session token is missing or not the one issued with the key. */
    BAD_TOKEN,
    /** The body's SHA-256 is not the declared {@code x-amz-content-sha256}. */
    PAYLOAD_HASH,
    /** The signature (of the request, a chunk or the trailer) is not the one the secret gives. */
    MISMATCH
  }

  /**
   * The outcome: {@code failure} null when the signature holds.
   *
   * @param accessKey the key id of the credential scope, as {@code region} and {@code service} (null when unsigned)
   * @param detail for a mismatch, what was signed: the canonical request or the chunk's string to sign
   */
  public record Verdict(Failure failure, String accessKey, String region, String service, String detail) {
    public boolean valid() {
      return failure == null;
    }
  }

  /** Records a secret (and its session token, or null) handed out with {@code accessKey}. */
  public static void issued(String accessKey, String secret, String sessionToken) {
    ISSUED.put(accessKey, new Key(secret, sessionToken));
  }

  private static Key keyOf(String accessKey) {
    if (accessKey.equals(System.getProperty("aws.accessKeyId"))) {
      return new Key(System.getProperty("aws.secretAccessKey"), null);
    }
    return ISSUED.get(accessKey);
  }

  /**
   * Checks a request as received.
   *
   * @param host the Host the client signed (a proxy passes the original on)
   * @param s3 S3's rules: the path is signed as sent (other services encode it once more) and the payload hash is
   *     the {@code x-amz-content-sha256} header's
   */
  public static Verdict verify(String method, URI uri, String host, Headers headers, byte[] body, boolean s3) {
    String authorization = headers.getFirst("Authorization");
    Matcher auth = AUTHORIZATION.matcher(authorization == null ? "" : authorization);
    if (!auth.matches()) {
      return new Verdict(Failure.UNSIGNED, null, null, null, String.valueOf(authorization));
    }
    String accessKey = auth.group(1);
    String date = auth.group(2);
    String region = auth.group(3);
    String service = auth.group(4);
    Key key = keyOf(accessKey);
    if (key == null || key.secret() == null) {
      return new Verdict(Failure.UNKNOWN_KEY, accessKey, region, service, accessKey);
    }
    String token = headers.getFirst("X-Amz-Security-Token");
    if (key.sessionToken() != null && !key.sessionToken().equals(token)) {
      return new Verdict(Failure.BAD_TOKEN, accessKey, region, service, String.valueOf(token));
    }
    String declared = headers.getFirst("X-Amz-Content-Sha256");
    String payloadHash = declared != null ? declared : hex(sha256(body));
    if (declared != null && !declared.startsWith("STREAMING-") && !declared.equals("UNSIGNED-PAYLOAD")
        && !declared.equals(hex(sha256(body)))) {
      return new Verdict(Failure.PAYLOAD_HASH, accessKey, region, service, declared);
    }
    String signedHeaders = auth.group(5);
    StringBuilder canonical = new StringBuilder()
        .append(method).append('\n')
        .append(s3 ? uri.getRawPath() : encode(uri.getRawPath(), false)).append('\n')
        .append(canonicalQuery(uri.getRawQuery())).append('\n');
    for (String name : signedHeaders.split(";")) {
      List<String> values = name.equals("host") ? List.of(host) : headers.get(name);
      canonical.append(name).append(':')
          .append(values == null ? "" : String.join(",", values.stream().map(SigV4::trimAll).toList()))
          .append('\n');
    }
    canonical.append('\n').append(signedHeaders).append('\n').append(payloadHash);
    String timestamp = String.valueOf(headers.getFirst("X-Amz-Date"));
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    byte[] signingKey = signingKey(key.secret(), date, region, service);
    String expected = hex(hmac(signingKey, ALGORITHM + "\n" + timestamp + "\n" + scope + "\n"
        + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)))));
    if (!expected.equals(auth.group(6))) {
      return new Verdict(Failure.MISMATCH, accessKey, region, service, canonical.toString());
    }
    if (payloadHash.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")) {
      String chunks = chunkMismatch(AwsChunked.decode(body), signingKey, timestamp, scope, auth.group(6));
      if (chunks != null) {
        return new Verdict(Failure.MISMATCH, accessKey, region, service, chunks);
      }
    }
    return new Verdict(null, accessKey, region, service, null);
  }

  /** Each chunk signs the one before's signature and its data; a signed trailer signs the last chunk's and itself. */
  private static String chunkMismatch(AwsChunked body, byte[] signingKey, String timestamp, String scope,
      String seed) {
    String previous = seed;
    for (AwsChunked.Chunk chunk : body.chunks()) {
      String toSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + timestamp + "\n" + scope + "\n" + previous + "\n" + EMPTY_SHA256
          + "\n" + hex(sha256(chunk.data()));
      if (!hex(hmac(signingKey, toSign)).equals(chunk.signature())) {
        return toSign;
      }
      previous = chunk.signature();
    }
    String trailerSignature = body.trailers().get("x-amz-trailer-signature");
    if (trailerSignature == null) {
      return null;
    }
    StringBuilder trailers = new StringBuilder();
    body.trailers().forEach((name, value) -> {
      if (!name.equals("x-amz-trailer-signature")) {
        trailers.append(name).append(':').append(value).append('\n');
      }
    });
    String toSign = "AWS4-HMAC-SHA256-TRAILER\n" + timestamp + "\n" + scope + "\n" + previous + "\n"
        + hex(sha256(trailers.toString().getBytes(StandardCharsets.UTF_8)));
    return hex(hmac(signingKey, toSign)).equals(trailerSignature) ? null : toSign;
  }

  /** The signing key: the HMAC chain from {@code AWS4} + secret over the date, the region and the service. */
  private static byte[] signingKey(String secret, String date, String region, String service) {
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    return hmac(key, "aws4_request");
  }

  private static String canonicalQuery(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<String> pairs = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      pairs.add(encode(name, true) + "=" + encode(value, true));
    }
    pairs.sort(null);
    return String.join("&", pairs);
  }

  /** AWS's URI encoding: unreserved characters stay, everything else is %XX; {@code /} too when {@code slash}. */
  private static String encode(String text, boolean slash) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || "-_.~".indexOf(c) >= 0
          || c == '/' && !slash) {
        out.append(c);
      } else {
        out.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String trimAll(String value) {
    return value.strip().replaceAll(" +", " ");
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
