package dev.haproxysd.testing;

import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The places outside STS where the SDK's credential chain gets keys, on 127.0.0.1 and in their real wire formats:
 * the IAM Identity Center (SSO) portal's GetRoleCredentials, a container credentials endpoint (ECS, EKS Pod
 * Identity) and the EC2 instance metadata service (IMDSv2 only: a GET without the session token is refused, so a
 * run that got keys used the token). Each hands out its own key and session token, so a test can tell from the
 * signature of an EC2 or Auto Scaling call which provider produced it.
 */
public final class FakeCredentialEndpoints implements AutoCloseable {
  public static final String SSO_KEY = "ASIAFAKESSO0000001";
  public static final String CONTAINER_KEY = "ASIAFAKECONTAINER01";
  public static final String INSTANCE_KEY = "ASIAFAKEINSTANCE001";
  public static final String CONTAINER_PATH = "/v1/credentials";
  public static final String INSTANCE_ROLE = "haproxy-sd-instance";

  private static final String SSO_PATH = "/federation/credentials";
  private static final String IMDS_TOKEN_PATH = "/latest/api/token";
  private static final String IMDS_ROLES_PATH = "/latest/meta-data/iam/security-credentials/";
  private static final String IMDS_TOKEN = "AQAEAFakeImdsSessionToken==";

  /** One request as received: method, path, query and the headers a credential endpoint authenticates with. */
  public record Request(String method, String path, Map<String, String> query, String authorization,
      String ssoBearerToken, String imdsToken) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(2);
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private volatile String ssoAccessToken;
  private volatile String ssoAccount;
  private volatile String ssoRole;
  private volatile String containerAuthorization;

  private FakeCredentialEndpoints() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  public static FakeCredentialEndpoints start() {
    try {
      return new FakeCredentialEndpoints();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT}, with no path. */
  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** GetRoleCredentials answers for this role of this account, to a caller holding this portal access token. */
  public FakeCredentialEndpoints ssoRole(String accessToken, String accountId, String roleName) {
    ssoAccessToken = accessToken;
    ssoAccount = accountId;
    ssoRole = roleName;
    return this;
  }

  /** The container endpoint answers only requests whose Authorization header is {@code token}. */
  public FakeCredentialEndpoints containerAuthorization(String token) {
    containerAuthorization = token;
    return this;
  }

  /** The session token issued with the fake's {@code accessKey} (the provider must pass it on as signed). */
  public static String sessionTokenOf(String accessKey) {
    return "session-token-of-" + accessKey;
  }

  /** The IMDSv2 session token the PUT hands out and every GET must carry. */
  public static String imdsToken() {
    return IMDS_TOKEN;
  }

  /** Every request received, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      exchange.getRequestBody().readAllBytes();
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      var headers = exchange.getRequestHeaders();
      String imdsToken = headers.getFirst("X-aws-ec2-metadata-token");
      requests.add(new Request(method, path, query(exchange.getRequestURI().getRawQuery()),
          headers.getFirst("Authorization"), headers.getFirst("x-amz-sso_bearer_token"), imdsToken));
      if (path.equals(SSO_PATH) && method.equals("GET")) {
        sso(exchange);
      } else if (path.equals(CONTAINER_PATH) && method.equals("GET")) {
        container(exchange);
      } else if (path.equals(IMDS_TOKEN_PATH) && method.equals("PUT")) {
        if (headers.getFirst("X-aws-ec2-metadata-token-ttl-seconds") == null) {
          send(exchange, 400, "text/plain", "");
        } else {
          send(exchange, 200, "text/plain", IMDS_TOKEN);
        }
      } else if (path.startsWith(IMDS_ROLES_PATH) && method.equals("GET")) {
        if (!IMDS_TOKEN.equals(imdsToken)) {
          send(exchange, 401, "text/plain", ""); // IMDSv2 only, as with HttpTokens=required
        } else if (path.equals(IMDS_ROLES_PATH)) {
          send(exchange, 200, "text/plain", INSTANCE_ROLE);
        } else if (path.equals(IMDS_ROLES_PATH + INSTANCE_ROLE)) {
          JsonObject body = keys(INSTANCE_KEY, "Token");
          body.addProperty("Code", "Success");
          body.addProperty("Type", "AWS-HMAC");
          body.addProperty("LastUpdated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
          send(exchange, 200, "text/plain", body.toString());
        } else {
          send(exchange, 404, "text/plain", "");
        }
      } else {
        send(exchange, 404, "text/plain", "");
      }
    }
  }

  private void sso(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
    String token = exchange.getRequestHeaders().getFirst("x-amz-sso_bearer_token");
    if (ssoAccessToken == null || !ssoAccessToken.equals(token)) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "UnauthorizedException");
      send(exchange, 401, "application/json", "{\"message\":\"Session token not found or invalid\"}");
      return;
    }
    if (!ssoAccount.equals(query.get("account_id")) || !ssoRole.equals(query.get("role_name"))) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", "ForbiddenException");
      send(exchange, 403, "application/json", "{\"message\":\"No access\"}");
      return;
    }
    JsonObject credentials = new JsonObject();
    credentials.addProperty("accessKeyId", SSO_KEY);
    credentials.addProperty("secretAccessKey", issue(SSO_KEY));
    credentials.addProperty("sessionToken", sessionTokenOf(SSO_KEY));
    credentials.addProperty("expiration", Instant.now().plus(1, ChronoUnit.HOURS).toEpochMilli());
    JsonObject body = new JsonObject();
    body.add("roleCredentials", credentials);
    send(exchange, 200, "application/json", body.toString());
  }

  private void container(HttpExchange exchange) throws IOException {
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (containerAuthorization == null || !containerAuthorization.equals(authorization)) {
      send(exchange, 401, "application/json", "{\"message\":\"Unauthorized\"}");
      return;
    }
    JsonObject body = keys(CONTAINER_KEY, "Token");
    body.addProperty("RoleArn", "arn:aws:iam::111122223333:role/haproxy-sd-task");
    send(exchange, 200, "application/json", body.toString());
  }

  /** The JSON the container endpoint and IMDS share: AccessKeyId, SecretAccessKey, the token, Expiration. */
  private static JsonObject keys(String accessKey, String tokenField) {
    JsonObject body = new JsonObject();
    body.addProperty("AccessKeyId", accessKey);
    body.addProperty("SecretAccessKey", issue(accessKey));
    body.addProperty(tokenField, sessionTokenOf(accessKey));
    body.addProperty("Expiration", Instant.now().plus(6, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
    return body;
  }

  /** The secret handed out with {@code accessKey}, told to the fakes that check signatures. */
  private static String issue(String accessKey) {
    String secret = "fake-secret-of-" + accessKey;
    SigV4.issued(accessKey, secret, sessionTokenOf(accessKey));
    return secret;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> query = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        String key = eq < 0 ? pair : pair.substring(0, eq);
        String value = eq < 0 ? "" : pair.substring(eq + 1);
        query.put(URLDecoder.decode(key, StandardCharsets.UTF_8), URLDecoder.decode(value, StandardCharsets.UTF_8));
      }
    }
    return Map.copyOf(query);
  }

  private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
  }
}
