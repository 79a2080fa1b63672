package dev.haproxysd.testing;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.CRC32;

/**
 * An in-process S3 endpoint for the real SDK client (path-style addressing, as {@code --endpoint-url} selects),
 * speaking S3's REST protocol: PutObject (including the SDK's {@code aws-chunked} body with a signed CRC32 trailer,
 * which it checks), GetObject and HeadObject with ETag, Last-Modified and {@code x-amz-meta-*}, {@code If-None-Match}
 * → 304, ListObjectsV2 (XML, {@code prefix}, {@code max-keys}, pages joined by {@code ContinuationToken}, keys
 * URL-encoded when {@code encoding-type=url} asks), and S3's errors: 403 AccessDenied and 404
 * NoSuchKey/NoSuchBucket as XML (HEAD answers carry no body, as on S3), 500 InternalError, 503 SlowDown. Every request's SigV4 signature is checked ({@link SigV4}, each chunk's of
 * an upload too): unsigned is 403 AccessDenied, a wrong signature 403 SignatureDoesNotMatch, an unknown key 403
 * InvalidAccessKeyId, a wrong session token 400 InvalidToken. Every request is recorded.
 *
 * <p>{@code --endpoint-url} sends every service to one URL (like an emulator or a test stack): with {@link
 * #forwardOthersTo} the requests that are not S3's (POSTs: AWS Query and JSON 1.1) go on to a {@link FakeAws}.
 *
 * <pre>{@code
 * try (FakeS3 s3 = FakeS3.start()) {
 *   s3.bucket("fleet");
 *   // ... haproxy-sd discover --publish s3://fleet/inventory.json --endpoint-url s3.endpoint() ...
 *   assertEquals(1, s3.requests("PutObject"));
 *   s3.inject(Fault.on("GetObject").accessDenied());
 * }
 * }</pre>
 */
public final class FakeS3 implements AutoCloseable {
  /** The header that carries the Host a forwarded request was signed for (see {@link #forwardOthersTo}). */
  static final String FORWARDED_HOST = "X-Fake-Signed-Host";
  private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-s3");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Map<String, StoredObject>> buckets = new ConcurrentHashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile URI others;
  private volatile java.util.function.Supplier<Instant> clock = Instant::now;
  private volatile int pageSize = 1000;

  /**
   * One request as received.
   *
   * @param api PutObject, GetObject or HeadObject
   * @param host the Host header (path-style: the endpoint's, without the bucket)
   * @param authorization the Authorization header, or null
   * @param status what the fake answered
   */
  public record Request(String api, String bucket, String key, String host, String authorization,
      String ifNoneMatch, int status) {}

  /** An object as S3 keeps it. */
  public record StoredObject(byte[] body, String etag, Instant lastModified, Map<String, String> metadata,
      String contentType, String crc32) {
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  static {
    System.setProperty("sun.net.httpserver.nodelay", "true"); // see FakeAws
  }

  private FakeS3() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static FakeS3 start() {
    try {
      return new FakeS3();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT}, for {@code --endpoint-url}. */
  public URI endpoint() {
    return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":"
        + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** Passes every request that is not an S3 request (a POST) on to {@code endpoint}, e.g. a {@link FakeAws}. */
  public FakeS3 forwardOthersTo(URI endpoint) {
    this.others = endpoint;
    return this;
  }

  /** Last-Modified of the objects put from now on comes from {@code clock} (a test's fake clock). */
  public FakeS3 clock(java.util.function.Supplier<Instant> clock) {
    this.clock = clock;
    return this;
  }

  /** ListObjectsV2 answers at most {@code keys} keys a page (S3: 1,000), to make a test page. */
  public FakeS3 pageSize(int keys) {
    this.pageSize = keys;
    return this;
  }

  /** Creates the bucket {@code name} (empty) unless it exists. */
  public FakeS3 bucket(String name) {
    buckets.computeIfAbsent(name, n -> new ConcurrentHashMap<>());
    return this;
  }

  /** Stores an object as another tool (or a publisher long ago) would have: {@code metadata} without the prefix. */
  public FakeS3 put(String bucket, String key, String body, Map<String, String> metadata, Instant lastModified) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    bucket(bucket);
    buckets.get(bucket).put(key, new StoredObject(bytes, etag(bytes), lastModified.truncatedTo(ChronoUnit.SECONDS),
        new TreeMap<>(metadata), "application/json", null));
    return this;
  }

  /** The object, or null. */
  public StoredObject object(String bucket, String key) {
    Map<String, StoredObject> objects = buckets.get(bucket);
    return objects == null ? null : objects.get(key);
  }

  /** Answers matching requests with the fault's error instead (ERROR, ACCESS_DENIED and THROTTLE kinds). */
  public FakeS3 inject(Fault fault) {
    faults.add(fault);
    return this;
  }

  public FakeS3 clearFaults() {
    faults.clear();
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many requests of {@code api} (PutObject, GetObject, HeadObject, ListObjectsV2) arrived, retries included. */
  public int requests(String api) {
    return (int) requests.stream().filter(r -> r.api().equals(api)).count();
  }

  // ---- protocol ------------------------------------------------------------------------------------------------

  private record Reply(int status, byte[] body, Map<String, String> headers) {}

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Headers in = exchange.getRequestHeaders();
      String method = exchange.getRequestMethod();
      if (method.equals("POST") && others != null) {
        forward(exchange);
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      int slash = path.indexOf('/', 1);
      String bucket = URLDecoder.decode(slash < 0 ? path.substring(1) : path.substring(1, slash),
          StandardCharsets.UTF_8);
      String key = slash < 0 ? "" : URLDecoder.decode(path.substring(slash + 1).replace("+", "%2B"),
          StandardCharsets.UTF_8);
      String query = exchange.getRequestURI().getRawQuery();
      Map<String, String> params = query(query);
      String api = switch (method) {
        case "PUT" -> "PutObject";
        case "GET" -> key.isEmpty() && "2".equals(params.get("list-type")) ? "ListObjectsV2" : "GetObject";
        case "HEAD" -> "HeadObject";
        default -> method;
      };
      byte[] raw = exchange.getRequestBody().readAllBytes();
      Reply reply;
      String authorization = in.getFirst("Authorization");
      Fault fault = faults.stream().filter(f -> f.take(api, 0)).findFirst().orElse(null);
      SigV4.Verdict signature = SigV4.verify(method, exchange.getRequestURI(), in.getFirst("Host"), in, raw, true);
      if (!signature.valid()) {
        reply = refused(signature);
      } else if (fault != null) {
        reply = switch (fault.kind) {
          case ACCESS_DENIED -> error(403, "AccessDenied", "Access Denied");
          case THROTTLE -> error(503, "SlowDown", "Please reduce your request rate.");
          case ERROR -> error(fault.status, fault.code, fault.message);
          default -> throw new UnsupportedOperationException("FakeS3 does not answer " + fault.kind);
        };
      } else if (!buckets.containsKey(bucket)) {
        reply = error(404, "NoSuchBucket", "The specified bucket does not exist");
      } else {
        reply = switch (api) {
          case "PutObject" -> put(bucket, key, in, raw);
          case "GetObject", "HeadObject" -> get(bucket, key, in);
          case "ListObjectsV2" -> list(bucket, params);
          default -> error(405, "MethodNotAllowed", "The specified method is not allowed against this resource.");
        };
      }
      requests.add(new Request(api, bucket, key, in.getFirst("Host"), authorization, in.getFirst("If-None-Match"),
          reply.status()));
      send(exchange, method.equals("HEAD"), reply);
    }
  }

  private void forward(HttpExchange exchange) throws IOException {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) others.resolve(exchange.getRequestURI()).toURL()
        .openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty(FORWARDED_HOST, exchange.getRequestHeaders().getFirst("Host"));
    exchange.getRequestHeaders().forEach((name, values) -> {
      if (!Set.of("host", "content-length", "connection", "expect", "transfer-encoding")
          .contains(name.toLowerCase(Locale.ROOT))) {
        c.setRequestProperty(name, values.get(0));
      }
    });
    try (OutputStream body = c.getOutputStream()) {
      body.write(exchange.getRequestBody().readAllBytes());
    }
    int status = c.getResponseCode();
    byte[] reply;
    try (java.io.InputStream answer = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
      reply = answer == null ? new byte[0] : answer.readAllBytes();
    }
    c.getHeaderFields().forEach((name, values) -> {
      if (name != null && !Set.of("content-length", "transfer-encoding", "connection", "date")
          .contains(name.toLowerCase(Locale.ROOT))) {
        exchange.getResponseHeaders().put(name, values);
      }
    });
    exchange.sendResponseHeaders(status, reply.length == 0 ? -1 : reply.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply);
    }
  }

  private Reply put(String bucket, String key, Headers in, byte[] raw) {
    byte[] body;
    String crc32 = null;
    if ("aws-chunked".equals(in.getFirst("Content-Encoding"))
        || String.valueOf(in.getFirst("x-amz-content-sha256")).startsWith("STREAMING-")) {
      AwsChunked chunked = AwsChunked.decode(raw);
      body = chunked.body();
      crc32 = chunked.trailers().get("x-amz-checksum-crc32");
      String declared = in.getFirst("x-amz-decoded-content-length");
      if (declared != null && Long.parseLong(declared) != body.length) {
        return error(400, "IncompleteBody", "The request body terminated unexpectedly");
      }
    } else {
      body = raw;
      crc32 = in.getFirst("x-amz-checksum-crc32");
    }
    if (crc32 != null && !crc32.equals(crc32(body))) {
      return error(400, "BadDigest", "The CRC32 you specified did not match the calculated checksum.");
    }
    Map<String, String> metadata = new TreeMap<>();
    in.forEach((name, values) -> {
      String lower = name.toLowerCase(Locale.ROOT);
      if (lower.startsWith("x-amz-meta-")) {
        metadata.put(lower.substring("x-amz-meta-".length()), values.get(0));
      }
    });
    StoredObject stored = new StoredObject(body, etag(body), clock.get().truncatedTo(ChronoUnit.SECONDS),
        metadata, String.valueOf(in.getFirst("Content-Type")), crc32);
    buckets.get(bucket).put(key, stored);
    return new Reply(200, new byte[0], Map.of("ETag", stored.etag()));
  }

  private Reply get(String bucket, String key, Headers in) {
    StoredObject o = buckets.get(bucket).get(key);
    if (o == null) {
      return error(404, "NoSuchKey", "The specified key does not exist.");
    }
    Map<String, String> headers = new TreeMap<>();
    headers.put("ETag", o.etag());
    headers.put("Last-Modified", HTTP_DATE.format(o.lastModified()));
    String ifNoneMatch = in.getFirst("If-None-Match");
    if (ifNoneMatch != null && (ifNoneMatch.equals(o.etag()) || ifNoneMatch.equals("*"))) {
      return new Reply(304, new byte[0], headers);
    }
    headers.put("Content-Type", o.contentType());
    o.metadata().forEach((name, value) -> headers.put("x-amz-meta-" + name, value));
    if (o.crc32() != null && "ENABLED".equals(in.getFirst("x-amz-checksum-mode"))) {
      headers.put("x-amz-checksum-crc32", o.crc32());
    }
    return new Reply(200, o.body(), headers);
  }

  /** ListObjectsV2: keys in order from after the continuation token (the last key sent, base64), one page. */
  private Reply list(String bucket, Map<String, String> params) {
    String prefix = params.getOrDefault("prefix", "");
    int max = Math.min(pageSize, Integer.parseInt(params.getOrDefault("max-keys", "1000")));
    String after = params.containsKey("continuation-token") ? new String(Base64.getDecoder().decode(
        params.get("continuation-token")), StandardCharsets.UTF_8) : "";
    boolean url = "url".equals(params.get("encoding-type"));
    List<String> keys = new TreeMap<>(buckets.get(bucket)).keySet().stream()
        .filter(k -> k.startsWith(prefix) && k.compareTo(after) > 0).toList();
    List<String> page = keys.subList(0, Math.min(max, keys.size()));
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ListBucketResult "
        + "xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><Name>").append(bucket).append("</Name><Prefix>")
        .append(xmlText(url ? urlEncode(prefix) : prefix)).append("</Prefix><KeyCount>").append(page.size())
        .append("</KeyCount><MaxKeys>").append(max).append("</MaxKeys>");
    if (url) {
      xml.append("<EncodingType>url</EncodingType>");
    }
    boolean truncated = page.size() < keys.size();
    xml.append("<IsTruncated>").append(truncated).append("</IsTruncated>");
    if (params.containsKey("continuation-token")) {
      xml.append("<ContinuationToken>").append(params.get("continuation-token")).append("</ContinuationToken>");
    }
    if (truncated) {
      xml.append("<NextContinuationToken>").append(Base64.getEncoder().encodeToString(
          page.get(page.size() - 1).getBytes(StandardCharsets.UTF_8))).append("</NextContinuationToken>");
    }
    for (String key : page) {
      StoredObject o = buckets.get(bucket).get(key);
      if (o == null) {
        continue;
      }
      xml.append("<Contents><Key>").append(xmlText(url ? urlEncode(key) : key)).append("</Key><LastModified>")
          .append(DateTimeFormatter.ISO_INSTANT.format(o.lastModified().truncatedTo(ChronoUnit.MILLIS)))
          .append("</LastModified><ETag>").append(xmlText(o.etag())).append("</ETag><Size>").append(o.body().length)
          .append("</Size><StorageClass>STANDARD</StorageClass></Contents>");
    }
    xml.append("</ListBucketResult>");
    return new Reply(200, xml.toString().getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/xml"));
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> params = new TreeMap<>();
    if (raw == null || raw.isEmpty()) {
      return params;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
      params.put(name, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return params;
  }

  private static String urlEncode(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String xmlText(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** S3's answers to a request whose signature does not hold. */
  private static Reply refused(SigV4.Verdict signature) {
    return switch (signature.failure()) {
      case UNSIGNED -> error(403, "AccessDenied", "Anonymous access is forbidden for this operation");
      case UNKNOWN_KEY -> error(403, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in "
          + "our records.");
      case BAD_TOKEN -> error(400, "InvalidToken", "The provided token is malformed or otherwise invalid.");
      case PAYLOAD_HASH -> error(400, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header "
          + "does not match what was computed.");
      case MISMATCH -> error(403, "SignatureDoesNotMatch", "The request signature we calculated does not match the "
          + "signature you provided. Check your key and signing method.");
    };
  }

  private static Reply error(int status, String code, String message) {
    String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>" + code + "</Code><Message>" + message
        + "</Message><RequestId>FAKE0REQUEST0ID</RequestId><HostId>fake</HostId></Error>";
    return new Reply(status, xml.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", "application/xml"));
  }

  private static void send(HttpExchange exchange, boolean head, Reply reply) throws IOException {
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    exchange.getResponseHeaders().set("x-amz-request-id", "FAKE0REQUEST0ID");
    boolean noBody = head || reply.status() == 304;
    if (noBody) {
      if (head && reply.status() == 200) {
        exchange.getResponseHeaders().set("Content-Length", Integer.toString(reply.body().length));
      }
      exchange.sendResponseHeaders(reply.status(), -1);
      return;
    }
    exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(reply.body());
    }
  }

  private static String etag(byte[] body) {
    try {
      return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body)) + "\"";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String crc32(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body);
    return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }
}
