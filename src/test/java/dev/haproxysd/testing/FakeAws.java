package dev.haproxysd.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * An in-process AWS endpoint for the APIs haproxy-sd calls, speaking their real wire formats so the real SDK
 * clients can be pointed at it with {@code --endpoint-url}: AWS Query with XML replies for Auto Scaling ({@code
 * DescribeAutoScalingGroups}, and the lifecycle-hook calls {@code PutLifecycleHook}, {@code DescribeLifecycleHooks},
 * {@code CompleteLifecycleAction}, {@code RecordLifecycleActionHeartbeat} with AWS's ValidationError "No active
 * Lifecycle Action found" for an action that is not waiting), EC2 ({@code DescribeInstances}) and STS ({@code
 * AssumeRole}, {@code AssumeRoleWithWebIdentity}, each issuing fresh temporary keys), JSON 1.1 for Cloud Map ({@code ListNamespaces},
 * {@code ListServices}, {@code DiscoverInstances}, {@code ListInstances}). Several regions or accounts: {@link
 * #route} to further instances by the request's signature.
 *
 * <p>Every request's SigV4 signature is checked against the secret handed out with its key ({@link SigV4}): a wrong
 * one is refused as AWS refuses it (Query and EC2: 403 SignatureDoesNotMatch; JSON 1.1: 400
 * InvalidSignatureException), an unknown key or session token as InvalidClientTokenId (EC2: AuthFailure; JSON:
 * UnrecognizedClientException). Only AssumeRoleWithWebIdentity comes unsigned.
 *
 * <p>It pages like AWS (NextToken, the APIs' own MaxRecords/MaxResults limits, plus {@link #pageSize} to force
 * small pages), refuses requests AWS would refuse (too many names, MaxResults with instance ids, unknown ids), answers
 * {@link Fault}s in each protocol's error shape, and counts every request it receives. EC2 filters ({@code tag:KEY},
 * {@code tag-key}, {@code tag-value}, {@code instance-state-name}, {@code instance-id}, {@code vpc-id}, {@code
 * instance-type}) match as EC2's do: any value of a filter, every filter (also two of one name), wildcards.
 *
 * <pre>{@code
 * try (FakeAws aws = FakeAws.start()) {
 *   aws.group("web").tag("HAProxy:Service:Port", "8080");
 *   aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
 *   aws.pageSize("DescribeAutoScalingGroups", 1).inject(Fault.on("DescribeInstances").times(1).throttle());
 *   // ... run haproxy-sd with --endpoint-url aws.endpoint() ...
 *   assertEquals(2, aws.requests("DescribeInstances"));
 * }
 * }</pre>
 */
public final class FakeAws implements AutoCloseable {
  /** The access key tests sign with (set as {@code aws.accessKeyId} by the build); requests record the key used. */
  public static final String ACCESS_KEY = "AKIDHAPROXYSDTEST";

  private static final String AUTOSCALING_VERSION = "2011-01-01";
  private static final String EC2_VERSION = "2016-11-15";
  private static final String AUTOSCALING_NS = "http://autoscaling.amazonaws.com/doc/2011-01-01/";
  private static final String EC2_NS = "http://ec2.amazonaws.com/doc/2016-11-15/";
  private static final String STS_VERSION = "2011-06-15";
  private static final String STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
  private static final String CLOUDMAP_TARGET = "Route53AutoNaming_v20170314.";
  private static final Pattern TOKEN = Pattern.compile("page-(\\d+)-(\\d+)");

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "fake-aws");
    t.setDaemon(true);
    return t;
  });
  private final CountDownLatch closed = new CountDownLatch(1);
  private final Map<String, Group> groups = new TreeMap<>();
  private final Map<String, Ec2Instance> instances = new TreeMap<>();
  private final Map<String, Namespace> namespaces = new LinkedHashMap<>();
  private final Map<String, Integer> pageSizes = new ConcurrentHashMap<>();
  private final List<Fault> faults = new CopyOnWriteArrayList<>();
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<Route> routes = new CopyOnWriteArrayList<>();
  private final Map<String, Issued> issued = new ConcurrentHashMap<>();
  private volatile java.time.Duration credentialLifetime = java.time.Duration.ofHours(1);
  private final Map<String, String> externalIds = new ConcurrentHashMap<>();
  private volatile String webIdentityToken;
  private volatile Gate gate;
  private final Set<List<String>> activeActions = new HashSet<>();
  private final List<LifecycleCall> lifecycleCalls = new CopyOnWriteArrayList<>();
  private int nextId = 1;
  private int nextKey = 1;

  /**
   * One request as received: API, page, form parameters (Query) or JSON body (Cloud Map), signing details (from
   * the SigV4 Authorization header's credential scope: access key id, region, service) and the session token.
   */
  public record Request(
      String api, int page, Map<String, String> form, JsonObject json, String accessKey, String region,
      String signingService, String securityToken) {}

  static {
    // The JDK server leaves Nagle on: each reply would wait ~40 ms for the client's delayed ACK, a cost real AWS
    // endpoints do not have, so call timings (and the benchmark) would measure the fake.
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  private FakeAws(SSLContext tls) throws IOException {
    InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    if (tls == null) {
      server = HttpServer.create(loopback, 0);
    } else {
      HttpsServer https = HttpsServer.create(loopback, 0);
      https.setHttpsConfigurator(new HttpsConfigurator(tls));
      server = https;
    }
    server.createContext("/", this::handle);
    server.setExecutor(executor);
    server.start();
  }

  /** Starts on a free loopback port. */
  public static FakeAws start() {
    return start(null);
  }

  /**
   * Starts on a free loopback port, speaking HTTPS with {@code tls} (null: plain HTTP), as real endpoints do: for
   * the benchmark's TLS runs, whose client trusts the certificate through its trust store.
   */
  public static FakeAws start(SSLContext tls) {
    try {
      return new FakeAws(tls);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code http://127.0.0.1:PORT} (or {@code https://}), for {@code --endpoint-url}. */
  public URI endpoint() {
    return URI.create((server instanceof HttpsServer ? "https" : "http") + "://"
        + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    closed.countDown();
    server.stop(0);
    executor.shutdownNow();
  }

  // ---- data ----------------------------------------------------------------------------------------------------

  /** The Auto Scaling group {@code name}, created on first use. */
  public synchronized Group group(String name) {
    return groups.computeIfAbsent(name, Group::new);
  }

  /** Deletes the Auto Scaling group {@code name} (its instances stay in EC2), as a scale-in to nothing cannot. */
  public synchronized void deleteGroup(String name) {
    groups.remove(name);
  }

  /** The EC2 instance {@code id} (running, no addresses), created on first use. */
  public synchronized Ec2Instance instance(String id) {
    return instances.computeIfAbsent(id, Ec2Instance::new);
  }

  /**
   * An instance in {@code group} with the given lifecycle state, running in EC2 with {@code privateIp}, in zone
   * {@code us-east-1a}, tagged {@code aws:autoscaling:groupName} as AWS does.
   */
  public synchronized Ec2Instance asgInstance(String group, String id, String lifecycle, String privateIp) {
    group(group).member(id, lifecycle, "us-east-1a");
    return instance(id).privateIp(privateIp).tag("aws:autoscaling:groupName", group);
  }

  /** The Cloud Map namespace named {@code name} (an HTTP namespace with the same HTTP name), created on first use. */
  public synchronized Namespace namespace(String name) {
    for (Namespace n : namespaces.values()) {
      if (n.name.equals(name)) {
        return n;
      }
    }
    return addNamespace(name, name);
  }

  /** A further namespace, also when one of that name exists (AWS allows that for private DNS namespaces). */
  public synchronized Namespace addNamespace(String name, String httpName) {
    Namespace n = new Namespace(String.format("ns-%016d", nextId++), name, httpName);
    namespaces.put(n.id, n);
    return n;
  }

  // ---- behaviour -----------------------------------------------------------------------------------------------

  /** At most {@code size} items per page of {@code api}, whatever the request asks. */
  public FakeAws pageSize(String api, int size) {
    pageSizes.put(api, size);
    return this;
  }

  public FakeAws inject(Fault fault) {
    faults.add(fault);
    return this;
  }

  /** Removes every injected fault: the endpoint answers normally again. */
  public FakeAws clearFaults() {
    faults.clear();
    return this;
  }

  /**
   * Requests signed for {@code region} (null: any) with a key issued for a role of {@code account} (null: any,
   * also the test's own key) are answered by {@code target}: its data, faults and request log. STS is always
   * answered here. So one endpoint serves several regions and accounts, told apart as AWS does, by the signature.
   */
  public FakeAws route(String account, String region, FakeAws target) {
    routes.add(new Route(account, region, target));
    return this;
  }

  /**
   * Holds every {@code api} request until the gate has seen as many as it waits for (across every fake sharing
   * it), at most 30 s: a discovery that asks one region after the other never opens it, and its first call times
   * out; one that asks them together passes. Concurrency proved without measuring time.
   */
  public FakeAws gate(String api, CountDownLatch shared) {
    gate = new Gate(api, shared, new java.util.concurrent.atomic.AtomicBoolean());
    return this;
  }

  /** AssumeRole of {@code roleArn} succeeds only with this ExternalId (AccessDenied otherwise, as IAM's trust policy). */
  public FakeAws requireExternalId(String roleArn, String externalId) {
    externalIds.put(roleArn, externalId);
    return this;
  }

  /**
   * Credentials issued from now on expire after {@code lifetime} (default 1 hour, as AWS's): a request signed with
   * an expired key is refused with ExpiredToken, as AWS refuses it.
   */
  public FakeAws credentialLifetime(java.time.Duration lifetime) {
    this.credentialLifetime = lifetime;
    return this;
  }

  /** AssumeRoleWithWebIdentity accepts only this token (InvalidIdentityToken otherwise). */
  public FakeAws webIdentityToken(String token) {
    webIdentityToken = token;
    return this;
  }

  /** The role whose AssumeRole or AssumeRoleWithWebIdentity issued {@code accessKey}, or null for any other key. */
  public String roleOf(String accessKey) {
    Issued i = accessKey == null ? null : issued.get(accessKey);
    return i == null ? null : i.roleArn;
  }

  /** The session token issued with {@code accessKey}, or null. */
  public String sessionTokenOf(String accessKey) {
    Issued i = accessKey == null ? null : issued.get(accessKey);
    return i == null ? null : i.sessionToken;
  }

  private String accountOfKey(String accessKey) {
    String role = roleOf(accessKey);
    return role == null ? null : role.split(":")[4];
  }

  /** Every request received, in order. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** How many HTTP requests (retries included) {@code api} received. */
  public int requests(String api) {
    return (int) requests.stream().filter(r -> r.api().equals(api)).count();
  }

  // ---- model ---------------------------------------------------------------------------------------------------

  /** An Auto Scaling group: members with lifecycle states, tags and a DesiredCapacity. */
  public final class Group {
    final String name;
    final List<String[]> members = new ArrayList<>();
    final Map<String, String> tags = new TreeMap<>();
    Integer desiredCapacity;
    final Map<String, Hook> hooks = new TreeMap<>();

    Group(String name) {
      this.name = name;
    }

    /** Sets a member's lifecycle state; {@code Terminating:Wait} starts an action for each termination hook. */
    public Group member(String instanceId, String lifecycle, String zone) {
      synchronized (FakeAws.this) {
        members.removeIf(m -> m[0].equals(instanceId));
        members.add(new String[] {instanceId, lifecycle, zone});
        if (lifecycle.equals("Terminating:Wait")) {
          hooks.values().stream().filter(h -> h.transition.equals(TERMINATING))
              .forEach(h -> activeActions.add(List.of(name, h.name, instanceId)));
        }
      }
      return this;
    }

    /** A lifecycle hook, as {@code aws autoscaling put-lifecycle-hook} creates it. */
    public Group hook(String hookName, String transition, int heartbeatTimeoutSeconds) {
      synchronized (FakeAws.this) {
        hooks.put(hookName, new Hook(hookName, transition, heartbeatTimeoutSeconds, "ABANDON"));
      }
      return this;
    }

    /** Sets DesiredCapacity; until then it follows the number of members. */
    public Group desiredCapacity(int desired) {
      synchronized (FakeAws.this) {
        desiredCapacity = desired;
      }
      return this;
    }

    /** Changes a member's lifecycle state, e.g. to {@code Terminating:Wait}. */
    public Group lifecycle(String instanceId, String lifecycle) {
      synchronized (FakeAws.this) {
        for (String[] m : members) {
          if (m[0].equals(instanceId)) {
            m[1] = lifecycle;
          }
        }
      }
      return this;
    }

    /** Takes {@code instanceId} out of the group (a scale-in, or an instance that died). */
    public Group removeMember(String instanceId) {
      synchronized (FakeAws.this) {
        members.removeIf(m -> m[0].equals(instanceId));
      }
      return this;
    }

    public Group tag(String key, String value) {
      synchronized (FakeAws.this) {
        tags.put(key, value);
      }
      return this;
    }
  }

  /** An EC2 instance. */
  public final class Ec2Instance {
    final String id;
    String state = "running";
    String privateIp;
    String publicIp;
    String zone = "us-east-1a";
    String vpcId;
    String instanceType = "t3.micro";
    final Map<String, String> tags = new TreeMap<>();

    Ec2Instance(String id) {
      this.id = id;
    }

    /** pending, running, stopping, stopped, shutting-down or terminated. */
    public Ec2Instance state(String state) {
      synchronized (FakeAws.this) {
        this.state = state;
      }
      return this;
    }

    public Ec2Instance privateIp(String ip) {
      synchronized (FakeAws.this) {
        this.privateIp = ip;
      }
      return this;
    }

    public Ec2Instance publicIp(String ip) {
      synchronized (FakeAws.this) {
        this.publicIp = ip;
      }
      return this;
    }

    public Ec2Instance tag(String key, String value) {
      synchronized (FakeAws.this) {
        tags.put(key, value);
      }
      return this;
    }

    public Ec2Instance zone(String zone) {
      synchronized (FakeAws.this) {
        this.zone = zone;
      }
      return this;
    }

    public Ec2Instance vpc(String vpcId) {
      synchronized (FakeAws.this) {
        this.vpcId = vpcId;
      }
      return this;
    }

    public Ec2Instance type(String instanceType) {
      synchronized (FakeAws.this) {
        this.instanceType = instanceType;
      }
      return this;
    }
  }

  /** A Cloud Map namespace. */
  public final class Namespace {
    final String id;
    final String name;
    final String httpName;
    final Map<String, CloudMapService> services = new LinkedHashMap<>();

    Namespace(String id, String name, String httpName) {
      this.id = id;
      this.name = name;
      this.httpName = httpName;
    }

    public String id() {
      return id;
    }

    /** The service {@code name} of this namespace, created on first use. */
    public CloudMapService service(String name) {
      synchronized (FakeAws.this) {
        return services.computeIfAbsent(name, n -> new CloudMapService(String.format("srv-%016d", nextId++), n));
      }
    }
  }

  /** A Cloud Map service and its registered instances. */
  public final class CloudMapService {
    final String id;
    final String name;
    final Map<String, CloudMapInstance> instances = new TreeMap<>();
    Integer reportedCount;

    CloudMapService(String id, String name) {
      this.id = id;
      this.name = name;
    }

    /** A healthy instance with {@code AWS_INSTANCE_IPV4} and, when not null, {@code AWS_INSTANCE_PORT}. */
    public CloudMapInstance instance(String id, String ipv4, Integer port) {
      synchronized (FakeAws.this) {
        CloudMapInstance i = instances.computeIfAbsent(id, CloudMapInstance::new);
        if (ipv4 != null) {
          i.attributes.put("AWS_INSTANCE_IPV4", ipv4);
        }
        if (port != null) {
          i.attributes.put("AWS_INSTANCE_PORT", port.toString());
        }
        return i;
      }
    }

    /** The {@code InstanceCount} ListServices reports (default: the real count), to model a stale count. */
    public CloudMapService reportedInstanceCount(int count) {
      synchronized (FakeAws.this) {
        reportedCount = count;
      }
      return this;
    }
  }

  /** A Cloud Map instance: attributes and health (HEALTHY, UNHEALTHY or UNKNOWN). */
  public final class CloudMapInstance {
    final String id;
    final Map<String, String> attributes = new TreeMap<>();
    String health = "HEALTHY";

    CloudMapInstance(String id) {
      this.id = id;
    }

    public CloudMapInstance attribute(String key, String value) {
      synchronized (FakeAws.this) {
        attributes.put(key, value);
      }
      return this;
    }

    public CloudMapInstance health(String health) {
      synchronized (FakeAws.this) {
        this.health = health;
      }
      return this;
    }
  }

  // ---- HTTP ----------------------------------------------------------------------------------------------------

  private enum Protocol { AUTOSCALING, EC2, CLOUDMAP, STS }

  private record Reply(int status, String contentType, String body, String errorType) {}

  /** A refusal in the API's own terms (ValidationError, InvalidInput, ...). */
  private static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;
    final String code;

    ApiError(int status, String code, String message) {
      super(message);
      this.status = status;
      this.code = code;
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      byte[] body = exchange.getRequestBody().readAllBytes();
      String forwardedHost = exchange.getRequestHeaders().getFirst(FakeS3.FORWARDED_HOST);
      SigV4.Verdict signature = SigV4.verify(exchange.getRequestMethod(), exchange.getRequestURI(),
          forwardedHost != null ? forwardedHost : exchange.getRequestHeaders().getFirst("Host"),
          exchange.getRequestHeaders(), body, false);
      String accessKey = signature.accessKey();
      String signingService = signature.service();
      String region = signature.region();
      String account = accessKey == null ? null : accountOfKey(accessKey);
      FakeAws answering = this;
      if (!"sts".equals(signingService) && !new String(body, StandardCharsets.UTF_8).contains("Version=" + STS_VERSION)) {
        for (Route route : routes) {
          if ((route.account == null || route.account.equals(account))
              && (route.region == null || route.region.equals(region))) {
            answering = route.target;
            break;
          }
        }
      }
      answering.answer(exchange, body, signature);
    }
  }

  private void answer(HttpExchange exchange, byte[] body, SigV4.Verdict signature) throws IOException {
    {
      String accessKey = signature.accessKey();
      String securityToken = exchange.getRequestHeaders().getFirst("X-Amz-Security-Token");
      String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
      Protocol protocol;
      String api;
      Map<String, String> form = Map.of();
      JsonObject json = null;
      String token;
      if (target != null) {
        protocol = Protocol.CLOUDMAP;
        api = target.startsWith(CLOUDMAP_TARGET) ? target.substring(CLOUDMAP_TARGET.length()) : target;
        json = body.length == 0 ? new JsonObject() : JsonParser.parseString(new String(body, StandardCharsets.UTF_8))
            .getAsJsonObject();
        token = json.has("NextToken") ? json.get("NextToken").getAsString() : null;
      } else {
        form = parseForm(new String(body, StandardCharsets.UTF_8), exchange.getRequestURI().getRawQuery());
        api = form.getOrDefault("Action", "");
        protocol = EC2_VERSION.equals(form.get("Version")) ? Protocol.EC2
            : STS_VERSION.equals(form.get("Version")) ? Protocol.STS : Protocol.AUTOSCALING;
        token = form.get("NextToken");
      }
      int page = pageOf(token);
      requests.add(new Request(api, page, form, json, accessKey, signature.region(), signature.service(),
          securityToken));
      if (!signature.valid() && !(protocol == Protocol.STS && signature.failure() == SigV4.Failure.UNSIGNED)) {
        send(exchange, refused(protocol, signature.failure()));
        return;
      }
      Gate g = gate;
      if (g != null && g.api.equals(api)) {
        if (g.arrived.compareAndSet(false, true)) {
          g.latch.countDown(); // once per fake: a retry must not stand in for another region
        }
        try {
          g.latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Reply reply;
      Fault fault = faults.stream().filter(f -> f.take(api, page)).findFirst().orElse(null);
      if (fault != null && fault.kind == Fault.Kind.HANG) {
        awaitClose();
        return;
      }
      if (fault != null && fault.kind == Fault.Kind.SLOW) {
        awaitClose(fault.delay);
        fault = null;
      }
      if (fault != null) {
        reply = faultReply(protocol, api, fault);
      } else {
        try {
          Issued signer = accessKey == null ? null : issued.get(accessKey);
          if (signer != null && java.time.Instant.now().isAfter(signer.expires())) {
            throw new ApiError(400, "ExpiredToken", "The security token included in the request is expired");
          }
          synchronized (this) {
            reply = switch (protocol) {
              case AUTOSCALING -> autoScaling(api, form, token);
              case EC2 -> ec2(api, form, token);
              case CLOUDMAP -> cloudMap(api, json, token);
              case STS -> sts(api, form, accessKey);
            };
          }
        } catch (ApiError e) {
          reply = error(protocol, e.status, e.code, e.getMessage());
        }
      }
      send(exchange, reply);
    }
  }

  private void awaitClose() {
    awaitClose(java.time.Duration.ofSeconds(60));
  }

  private void awaitClose(java.time.Duration atMost) {
    try {
      closed.await(atMost.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void send(HttpExchange exchange, Reply reply) throws IOException {
    byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", reply.contentType());
    exchange.getResponseHeaders().set("x-amzn-RequestId", "00000000-0000-0000-0000-000000000000");
    if (reply.errorType() != null) {
      exchange.getResponseHeaders().set("x-amzn-ErrorType", reply.errorType());
    }
    exchange.sendResponseHeaders(reply.status(), bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private Reply faultReply(Protocol protocol, String api, Fault fault) {
    String action = switch (protocol) {
      case AUTOSCALING -> "autoscaling:" + api;
      case EC2 -> "ec2:" + api;
      case CLOUDMAP -> "servicediscovery:" + api;
      case STS -> "sts:" + api;
    };
    String denied = "User: arn:aws:iam::123456789012:user/haproxy-sd is not authorized to perform: " + action
        + " because no identity-based policy allows the " + action + " action";
    return switch (fault.kind) {
      case MALFORMED -> new Reply(200, protocol == Protocol.CLOUDMAP ? "application/x-amz-json-1.1" : "text/xml",
          protocol == Protocol.CLOUDMAP ? "{\"Instances\": [ {\"Id\": " : "<" + api + "Response><oops", null);
      case THROTTLE -> switch (protocol) {
        case AUTOSCALING -> error(protocol, 400, "Throttling", "Rate exceeded");
        case EC2 -> error(protocol, 503, "RequestLimitExceeded", "Request limit exceeded.");
        case CLOUDMAP -> error(protocol, 400, "RequestLimitExceeded", "Rate exceeded");
        case STS -> error(protocol, 400, "Throttling", "Rate exceeded");
      };
      case ACCESS_DENIED -> switch (protocol) {
        case AUTOSCALING -> error(protocol, 403, "AccessDenied", denied);
        case EC2 -> error(protocol, 403, "UnauthorizedOperation", "You are not authorized to perform this "
            + "operation. " + denied);
        case CLOUDMAP -> error(protocol, 400, "AccessDeniedException", denied);
        case STS -> error(protocol, 403, "AccessDenied", denied);
      };
      default -> error(protocol, fault.status, fault.code, fault.message);
    };
  }

  /**
   * What AWS answers a request whose signature does not hold, in the protocol's terms: the Query APIs and EC2 403
   * SignatureDoesNotMatch, the JSON 1.1 APIs (Cloud Map) 400 InvalidSignatureException; an unknown key or a wrong
   * session token InvalidClientTokenId (EC2: 401 AuthFailure; JSON: UnrecognizedClientException).
   */
  private static Reply refused(Protocol protocol, SigV4.Failure failure) {
    boolean json = protocol == Protocol.CLOUDMAP;
    return switch (failure) {
      case UNSIGNED -> json
          ? error(protocol, 400, "MissingAuthenticationTokenException", "Missing Authentication Token")
          : error(protocol, 403, "MissingAuthenticationToken", "Request is missing Authentication Token");
      case UNKNOWN_KEY, BAD_TOKEN -> switch (protocol) {
        case EC2 -> error(protocol, 401, "AuthFailure",
            "AWS was not able to validate the provided access credentials");
        case CLOUDMAP -> error(protocol, 400, "UnrecognizedClientException",
            "The security token included in the request is invalid.");
        default -> error(protocol, 403, "InvalidClientTokenId",
            "The security token included in the request is invalid.");
      };
      case MISMATCH, PAYLOAD_HASH -> error(protocol, json ? 400 : 403,
          json ? "InvalidSignatureException" : "SignatureDoesNotMatch", "The request signature we calculated does not "
          + "match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the "
          + "service documentation for details.");
    };
  }

  private static Reply error(Protocol protocol, int status, String code, String message) {
    return switch (protocol) {
      case AUTOSCALING, STS -> new Reply(status, "text/xml", "<ErrorResponse xmlns=\""
          + (protocol == Protocol.STS ? STS_NS : AUTOSCALING_NS) + "\">"
          + "<Error><Type>" + (status >= 500 ? "Receiver" : "Sender") + "</Type><Code>" + xml(code) + "</Code>"
          + "<Message>" + xml(message) + "</Message></Error><RequestId>00000000-0000-0000-0000-000000000000"
          + "</RequestId></ErrorResponse>", null);
      case EC2 -> new Reply(status, "text/xml;charset=UTF-8", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
          + "<Response><Errors><Error><Code>" + xml(code) + "</Code><Message>" + xml(message) + "</Message>"
          + "</Error></Errors><RequestID>00000000-0000-0000-0000-000000000000</RequestID></Response>", null);
      case CLOUDMAP -> {
        JsonObject o = new JsonObject();
        o.addProperty("__type", code);
        o.addProperty("message", message);
        yield new Reply(status, "application/x-amz-json-1.1", o.toString(), code);
      }
    };
  }

  // ---- STS -----------------------------------------------------------------------------------------------------

  private record Route(String account, String region, FakeAws target) {}

  private record Issued(String roleArn, String sessionToken, java.time.Instant expires) {}

  private record Gate(String api, CountDownLatch latch, java.util.concurrent.atomic.AtomicBoolean arrived) {}

  private static final Pattern ROLE_ARN = Pattern.compile("arn:aws:iam::([0-9]{12}):role/(?:.+/)?([^/]+)");

  /** AssumeRole (signed) and AssumeRoleWithWebIdentity (unsigned, the token is the proof): fresh keys each time. */
  private Reply sts(String api, Map<String, String> form, String signedWith) {
    boolean web = api.equals("AssumeRoleWithWebIdentity");
    if (!web && !api.equals("AssumeRole")) {
      throw new ApiError(400, "InvalidAction", "Could not find operation " + api + " for version " + STS_VERSION);
    }
    String roleArn = form.get("RoleArn");
    String session = form.get("RoleSessionName");
    Matcher role = ROLE_ARN.matcher(String.valueOf(roleArn));
    if (!role.matches() || session == null || session.length() < 2) {
      throw new ApiError(400, "ValidationError", "RoleArn and RoleSessionName are required");
    }
    if (web) {
      String token = form.get("WebIdentityToken");
      if (token == null || !(webIdentityToken == null ? !token.isEmpty() : webIdentityToken.equals(token))) {
        throw new ApiError(400, "InvalidIdentityToken", "Couldn't retrieve verification key from your identity "
            + "provider");
      }
    } else {
      if (signedWith == null) {
        throw new ApiError(403, "MissingAuthenticationToken", "Request is missing Authentication Token");
      }
      String wanted = externalIds.get(roleArn);
      if (wanted != null && !wanted.equals(form.get("ExternalId"))) {
        throw new ApiError(403, "AccessDenied", "User: " + signedWith + " is not authorized to perform: "
            + "sts:AssumeRole on resource: " + roleArn);
      }
    }
    int n = nextKey++;
    String key = String.format("ASIAFAKE%012d", n);
    String sessionToken = "fake-session-token-" + n;
    String secret = "fake-secret-" + n;
    java.time.Instant expires = java.time.Instant.now().plus(credentialLifetime);
    issued.put(key, new Issued(roleArn, sessionToken, expires));
    SigV4.issued(key, secret, sessionToken);
    String result = web ? "AssumeRoleWithWebIdentityResult" : "AssumeRoleResult";
    String body = "<" + api + "Response xmlns=\"" + STS_NS + "\"><" + result + ">"
        + (web ? "<SubjectFromWebIdentityToken>system:serviceaccount:default:haproxy-sd</SubjectFromWebIdentityToken>"
            + "<Audience>sts.amazonaws.com</Audience><Provider>oidc.example.com</Provider>" : "")
        + "<AssumedRoleUser><Arn>arn:aws:sts::" + role.group(1) + ":assumed-role/" + xml(role.group(2)) + "/"
        + xml(session) + "</Arn><AssumedRoleId>AROAFAKE" + n + ":" + xml(session) + "</AssumedRoleId>"
        + "</AssumedRoleUser><Credentials><AccessKeyId>" + key + "</AccessKeyId><SecretAccessKey>" + secret
        + "</SecretAccessKey><SessionToken>" + sessionToken + "</SessionToken><Expiration>"
        + expires.truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
        + "</Expiration></Credentials></" + result + "><ResponseMetadata><RequestId>"
        + "00000000-0000-0000-0000-000000000000</RequestId></ResponseMetadata></" + api + "Response>";
    return new Reply(200, "text/xml", body, null);
  }

  // ---- Auto Scaling ---------------------------------------------------------------------------------------------

  private Reply autoScaling(String api, Map<String, String> form, String token) {
    if (LIFECYCLE_APIS.contains(api)) {
      return lifecycle(api, form);
    }
    if (!api.equals("DescribeAutoScalingGroups")) {
      throw new ApiError(400, "InvalidAction", "The action " + api + " is not valid for this web service.");
    }
    int max = intParam(form, "MaxRecords", 50);
    if (max < 1 || max > 100) {
      throw new ApiError(400, "ValidationError", "1 validation error detected: Value '" + max
          + "' at 'maxRecords' failed to satisfy constraint: Member must have value less than or equal to 100");
    }
    List<String> names = list(form, "AutoScalingGroupNames.member.");
    if (names.size() > Math.max(50, max)) {
      throw new ApiError(400, "ValidationError", "The number of group names (" + names.size()
          + ") exceeds MaxRecords");
    }
    Map<String, List<String>> filters = filters(form, "Filters.member.", ".Values.member.");
    List<Group> selected = new ArrayList<>();
    for (Group g : groups.values()) {
      if (!names.isEmpty() && !names.contains(g.name)) {
        continue;
      }
      boolean match = true;
      for (Map.Entry<String, List<String>> f : filters.entrySet()) {
        if (f.getKey().startsWith("tag:")) {
          match &= f.getValue().contains(g.tags.get(f.getKey().substring(4)));
        } else if (f.getKey().equals("tag-key")) {
          match &= f.getValue().stream().anyMatch(g.tags::containsKey);
        } else if (f.getKey().equals("tag-value")) {
          match &= f.getValue().stream().anyMatch(g.tags::containsValue);
        } else {
          throw new ApiError(400, "ValidationError", "Filter " + f.getKey() + " is not supported");
        }
      }
      if (match) {
        selected.add(g);
      }
    }
    Page<Group> page = page(api, selected, token, max);
    StringBuilder b = new StringBuilder("<DescribeAutoScalingGroupsResponse xmlns=\"" + AUTOSCALING_NS + "\">"
        + "<DescribeAutoScalingGroupsResult><AutoScalingGroups>");
    for (Group g : page.items) {
      int desired = g.desiredCapacity == null ? g.members.size() : g.desiredCapacity;
      b.append("<member><AutoScalingGroupName>").append(xml(g.name)).append("</AutoScalingGroupName>")
          .append("<AutoScalingGroupARN>arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:")
          .append("00000000-0000-0000-0000-000000000000:autoScalingGroupName/").append(xml(g.name))
          .append("</AutoScalingGroupARN><MinSize>0</MinSize><MaxSize>").append(Math.max(g.members.size(), desired) + 1)
          .append("</MaxSize><DesiredCapacity>").append(desired).append("</DesiredCapacity>")
          .append("<DefaultCooldown>300</DefaultCooldown><AvailabilityZones><member>us-east-1a</member>")
          .append("</AvailabilityZones><HealthCheckType>EC2</HealthCheckType><HealthCheckGracePeriod>300")
          .append("</HealthCheckGracePeriod><Instances>");
      for (String[] m : g.members) {
        b.append("<member><InstanceId>").append(xml(m[0])).append("</InstanceId><InstanceType>t3.micro")
            .append("</InstanceType><AvailabilityZone>").append(xml(m[2])).append("</AvailabilityZone>")
            .append("<LifecycleState>").append(xml(m[1])).append("</LifecycleState><HealthStatus>Healthy")
            .append("</HealthStatus><ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>");
      }
      b.append("</Instances><CreatedTime>2024-01-01T00:00:00.000Z</CreatedTime><Tags>");
      for (Map.Entry<String, String> t : g.tags.entrySet()) {
        b.append("<member><ResourceId>").append(xml(g.name)).append("</ResourceId><ResourceType>")
            .append("auto-scaling-group</ResourceType><Key>").append(xml(t.getKey())).append("</Key><Value>")
            .append(xml(t.getValue())).append("</Value><PropagateAtLaunch>true</PropagateAtLaunch></member>");
      }
      b.append("</Tags></member>");
    }
    b.append("</AutoScalingGroups>");
    if (page.next != null) {
      b.append("<NextToken>").append(page.next).append("</NextToken>");
    }
    b.append("</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000"
        + "</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>");
    return new Reply(200, "text/xml", b.toString(), null);
  }

  // ---- EC2 -----------------------------------------------------------------------------------------------------

  private Reply ec2(String api, Map<String, String> form, String token) {
    if (!api.equals("DescribeInstances")) {
      throw new ApiError(400, "InvalidAction", "The action " + api + " is not valid for this web service.");
    }
    List<String> ids = list(form, "InstanceId.");
    boolean hasMax = form.containsKey("MaxResults");
    if (!ids.isEmpty() && hasMax) {
      throw new ApiError(400, "InvalidParameterCombination",
          "The parameter instancesSet cannot be used with the parameter maxResults");
    }
    int max = intParam(form, "MaxResults", 1000);
    if (max < 5 || max > 1000) {
      throw new ApiError(400, "InvalidParameterValue", "Value ( " + max + " ) for parameter maxResults is "
          + "invalid. Expecting a value greater than 5 and less than 1000.");
    }
    for (String id : ids) {
      if (!instances.containsKey(id)) {
        throw new ApiError(400, "InvalidInstanceID.NotFound", "The instance ID '" + id + "' does not exist");
      }
    }
    List<Map.Entry<String, List<String>>> filters = ec2Filters(form);
    List<Ec2Instance> selected = new ArrayList<>();
    Set<String> idSet = new HashSet<>(ids);
    for (Ec2Instance i : instances.values()) {
      if (!idSet.isEmpty() && !idSet.contains(i.id)) {
        continue;
      }
      boolean match = true;
      // Every filter must match (also two of one name); any value of a filter matches.
      for (Map.Entry<String, List<String>> f : filters) {
        String name = f.getKey();
        List<String> values = f.getValue();
        if (name.startsWith("tag:")) {
          match &= matchesAny(values, i.tags.get(name.substring(4)));
        } else if (name.equals("tag-key")) {
          match &= i.tags.keySet().stream().anyMatch(k -> matchesAny(values, k));
        } else if (name.equals("tag-value")) {
          match &= i.tags.values().stream().anyMatch(v -> matchesAny(values, v));
        } else if (name.equals("instance-state-name")) {
          match &= matchesAny(values, i.state);
        } else if (name.equals("instance-id")) {
          match &= matchesAny(values, i.id);
        } else if (name.equals("vpc-id")) {
          match &= matchesAny(values, i.vpcId);
        } else if (name.equals("instance-type")) {
          match &= matchesAny(values, i.instanceType);
        } else {
          throw new ApiError(400, "InvalidParameterValue", "The filter '" + name + "' is invalid");
        }
      }
      if (match) {
        selected.add(i);
      }
    }
    Page<Ec2Instance> page = page(api, selected, token, ids.isEmpty() ? max : Integer.MAX_VALUE);
    StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><DescribeInstancesResponse "
        + "xmlns=\"" + EC2_NS + "\"><requestId>00000000-0000-0000-0000-000000000000</requestId><reservationSet>");
    for (Ec2Instance i : page.items) {
      b.append("<item><reservationId>r-").append(xml(i.id.replace("i-", ""))).append("</reservationId>")
          .append("<ownerId>123456789012</ownerId><groupSet/><instancesSet><item><instanceId>").append(xml(i.id))
          .append("</instanceId><imageId>ami-00000000</imageId><instanceState><code>")
          .append(stateCode(i.state)).append("</code><name>").append(xml(i.state)).append("</name>")
          .append("</instanceState><instanceType>").append(xml(i.instanceType)).append("</instanceType>")
          .append("<placement><availabilityZone>")
          .append(xml(i.zone)).append("</availabilityZone><tenancy>default</tenancy></placement>");
      if (i.vpcId != null) {
        b.append("<vpcId>").append(xml(i.vpcId)).append("</vpcId>");
      }
      if (i.privateIp != null) {
        b.append("<privateIpAddress>").append(xml(i.privateIp)).append("</privateIpAddress>");
      }
      if (i.publicIp != null) {
        b.append("<ipAddress>").append(xml(i.publicIp)).append("</ipAddress>");
      }
      b.append("<tagSet>");
      for (Map.Entry<String, String> t : i.tags.entrySet()) {
        b.append("<item><key>").append(xml(t.getKey())).append("</key><value>").append(xml(t.getValue()))
            .append("</value></item>");
      }
      b.append("</tagSet></item></instancesSet></item>");
    }
    b.append("</reservationSet>");
    if (page.next != null) {
      b.append("<nextToken>").append(page.next).append("</nextToken>");
    }
    b.append("</DescribeInstancesResponse>");
    return new Reply(200, "text/xml;charset=UTF-8", b.toString(), null);
  }

  private static int stateCode(String state) {
    return switch (state) {
      case "pending" -> 0;
      case "running" -> 16;
      case "shutting-down" -> 32;
      case "terminated" -> 48;
      case "stopping" -> 64;
      case "stopped" -> 80;
      default -> 16;
    };
  }

  // ---- Cloud Map -----------------------------------------------------------------------------------------------

  private Reply cloudMap(String api, JsonObject in, String token) {
    JsonObject out = new JsonObject();
    switch (api) {
      case "ListNamespaces" -> {
        Page<Namespace> page = page(api, new ArrayList<>(namespaces.values()), token, maxResults(in, 100, 100));
        JsonArray list = new JsonArray();
        for (Namespace n : page.items) {
          JsonObject o = new JsonObject();
          o.addProperty("Id", n.id);
          o.addProperty("Arn", "arn:aws:servicediscovery:us-east-1:123456789012:namespace/" + n.id);
          o.addProperty("Name", n.name);
          o.addProperty("Type", "HTTP");
          o.addProperty("ServiceCount", n.services.size());
          JsonObject http = new JsonObject();
          http.addProperty("HttpName", n.httpName);
          JsonObject props = new JsonObject();
          props.add("HttpProperties", http);
          o.add("Properties", props);
          o.addProperty("CreateDate", 1.7040672E9);
          list.add(o);
        }
        out.add("Namespaces", list);
        nextToken(out, page);
      }
      case "ListServices" -> {
        List<CloudMapService> selected = new ArrayList<>();
        JsonArray filters = in.has("Filters") ? in.getAsJsonArray("Filters") : new JsonArray();
        List<String> namespaceIds = new ArrayList<>();
        for (JsonElement f : filters) {
          JsonObject filter = f.getAsJsonObject();
          String condition = filter.has("Condition") ? filter.get("Condition").getAsString() : "EQ";
          JsonArray values = filter.getAsJsonArray("Values");
          if (!filter.get("Name").getAsString().equals("NAMESPACE_ID")) {
            throw new ApiError(400, "InvalidInput", "Unsupported filter " + filter.get("Name"));
          }
          if (condition.equals("EQ") && values.size() != 1) {
            throw new ApiError(400, "InvalidInput", "EQ takes exactly one NAMESPACE_ID value");
          }
          values.forEach(v -> namespaceIds.add(v.getAsString()));
        }
        for (Namespace n : namespaces.values()) {
          if (namespaceIds.isEmpty() || namespaceIds.contains(n.id)) {
            selected.addAll(n.services.values());
          }
        }
        Page<CloudMapService> page = page(api, selected, token, maxResults(in, 100, 100));
        JsonArray list = new JsonArray();
        for (CloudMapService s : page.items) {
          JsonObject o = new JsonObject();
          o.addProperty("Id", s.id);
          o.addProperty("Arn", "arn:aws:servicediscovery:us-east-1:123456789012:service/" + s.id);
          o.addProperty("Name", s.name);
          o.addProperty("Type", "HTTP");
          o.addProperty("InstanceCount", s.reportedCount != null ? s.reportedCount : s.instances.size());
          list.add(o);
        }
        out.add("Services", list);
        nextToken(out, page);
      }
      case "DiscoverInstances" -> {
        String namespaceName = string(in, "NamespaceName");
        String serviceName = string(in, "ServiceName");
        int max = maxResults(in, 100, 1000);
        String health = in.has("HealthStatus") ? in.get("HealthStatus").getAsString() : "ALL";
        Namespace namespace = namespaces.values().stream().filter(n -> n.httpName.equals(namespaceName))
            .findFirst().orElseThrow(() -> new ApiError(400, "NamespaceNotFound",
                "No namespace exists with the name " + namespaceName));
        CloudMapService service = namespace.services.get(serviceName);
        if (service == null) {
          throw new ApiError(400, "ServiceNotFound", "No service exists with the name " + serviceName);
        }
        List<CloudMapInstance> all = new ArrayList<>(service.instances.values());
        List<CloudMapInstance> healthy = all.stream().filter(i -> i.health.equals("HEALTHY")).toList();
        List<CloudMapInstance> chosen = switch (health) {
          case "HEALTHY" -> healthy;
          case "UNHEALTHY" -> all.stream().filter(i -> i.health.equals("UNHEALTHY")).toList();
          case "HEALTHY_OR_ELSE_ALL" -> healthy.isEmpty() ? all : healthy;
          default -> all;
        };
        JsonArray list = new JsonArray();
        for (CloudMapInstance i : chosen.subList(0, Math.min(max, chosen.size()))) {
          JsonObject o = new JsonObject();
          o.addProperty("InstanceId", i.id);
          o.addProperty("NamespaceName", namespace.httpName);
          o.addProperty("ServiceName", service.name);
          o.addProperty("HealthStatus", i.health);
          o.add("Attributes", attributes(i));
          list.add(o);
        }
        out.add("Instances", list);
        out.addProperty("InstancesRevision", service.instances.size());
      }
      case "ListInstances" -> {
        String serviceId = string(in, "ServiceId");
        CloudMapService service = namespaces.values().stream().flatMap(n -> n.services.values().stream())
            .filter(s -> s.id.equals(serviceId)).findFirst()
            .orElseThrow(() -> new ApiError(400, "ServiceNotFound", "No service exists with the ID " + serviceId));
        Page<CloudMapInstance> page =
            page(api, new ArrayList<>(service.instances.values()), token, maxResults(in, 100, 100));
        JsonArray list = new JsonArray();
        for (CloudMapInstance i : page.items) {
          JsonObject o = new JsonObject();
          o.addProperty("Id", i.id);
          o.add("Attributes", attributes(i));
          list.add(o);
        }
        out.add("Instances", list);
        nextToken(out, page);
      }
      default -> throw new ApiError(400, "UnknownOperationException", "Unknown operation " + api);
    }
    return new Reply(200, "application/x-amz-json-1.1", out.toString(), null);
  }

  private static JsonObject attributes(CloudMapInstance i) {
    JsonObject a = new JsonObject();
    i.attributes.forEach(a::addProperty);
    return a;
  }

  private static void nextToken(JsonObject out, Page<?> page) {
    if (page.next != null) {
      out.addProperty("NextToken", page.next);
    }
  }

  private static String string(JsonObject in, String field) {
    if (!in.has(field)) {
      throw new ApiError(400, "InvalidInput", field + " is required");
    }
    return in.get(field).getAsString();
  }

  private static int maxResults(JsonObject in, int fallback, int limit) {
    int max = in.has("MaxResults") ? in.get("MaxResults").getAsInt() : fallback;
    if (max < 1 || max > limit) {
      throw new ApiError(400, "InvalidInput", "1 validation error detected: Value '" + max + "' at 'maxResults' "
          + "failed to satisfy constraint: Member must have value less than or equal to " + limit);
    }
    return max;
  }

  // ---- paging and parsing --------------------------------------------------------------------------------------

  private record Page<T>(List<T> items, String next) {}

  private <T> Page<T> page(String api, List<T> all, String token, int max) {
    int size = Math.min(max, pageSizes.getOrDefault(api, Integer.MAX_VALUE));
    int number = 1;
    int offset = 0;
    if (token != null) {
      Matcher m = TOKEN.matcher(token);
      if (!m.matches()) {
        throw new ApiError(400, "InvalidNextToken", "The token '" + token + "' is invalid.");
      }
      number = Integer.parseInt(m.group(1));
      offset = Integer.parseInt(m.group(2));
    }
    int end = (int) Math.min((long) offset + size, all.size());
    List<T> items = offset >= all.size() ? List.of() : List.copyOf(all.subList(offset, end));
    return new Page<>(items, end < all.size() ? "page-" + (number + 1) + "-" + end : null);
  }

  private static int pageOf(String token) {
    if (token == null) {
      return 1;
    }
    Matcher m = TOKEN.matcher(token);
    return m.matches() ? Integer.parseInt(m.group(1)) : 0;
  }

  private static Map<String, String> parseForm(String body, String query) {
    Map<String, String> form = new LinkedHashMap<>();
    for (String part : (body + (query == null ? "" : "&" + query)).split("&")) {
      if (part.isEmpty()) {
        continue;
      }
      int eq = part.indexOf('=');
      String key = URLDecoder.decode(eq < 0 ? part : part.substring(0, eq), StandardCharsets.UTF_8);
      String value = eq < 0 ? "" : URLDecoder.decode(part.substring(eq + 1), StandardCharsets.UTF_8);
      form.put(key, value);
    }
    return form;
  }

  private static List<String> list(Map<String, String> form, String prefix) {
    List<String> values = new ArrayList<>();
    for (int n = 1; form.containsKey(prefix + n); n++) {
      values.add(form.get(prefix + n));
    }
    return values;
  }

  /** Auto Scaling's {@code Filters.member.N.Name} + {@code .Values.member.M}. */
  private static Map<String, List<String>> filters(Map<String, String> form, String prefix, String valuesInfix) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    for (int n = 1; form.containsKey(prefix + n + ".Name"); n++) {
      filters.put(form.get(prefix + n + ".Name"), list(form, prefix + n + valuesInfix));
    }
    return Collections.unmodifiableMap(filters);
  }

  /** EC2's {@code Filter.N.Name} + {@code .Value.M}, in order; unlike a map, a name may come twice. */
  private static List<Map.Entry<String, List<String>>> ec2Filters(Map<String, String> form) {
    List<Map.Entry<String, List<String>>> filters = new ArrayList<>();
    for (int n = 1; form.containsKey("Filter." + n + ".Name"); n++) {
      filters.add(Map.entry(form.get("Filter." + n + ".Name"), list(form, "Filter." + n + ".Value.")));
    }
    return filters;
  }

  /** True when {@code text} matches one of {@code patterns}, with EC2's wildcards: {@code *}, {@code ?}, {@code \\}. */
  static boolean matchesAny(List<String> patterns, String text) {
    if (text == null) {
      return false;
    }
    for (String pattern : patterns) {
      StringBuilder regex = new StringBuilder();
      for (int c = 0; c < pattern.length(); c++) {
        char ch = pattern.charAt(c);
        if (ch == '\\' && c + 1 < pattern.length()) {
          regex.append(Pattern.quote(String.valueOf(pattern.charAt(++c))));
        } else if (ch == '*') {
          regex.append(".*");
        } else if (ch == '?') {
          regex.append('.');
        } else {
          regex.append(Pattern.quote(String.valueOf(ch)));
        }
      }
      if (Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(text).matches()) {
        return true;
      }
    }
    return false;
  }

  private static int intParam(Map<String, String> form, String name, int fallback) {
    String value = form.get(name);
    return value == null ? fallback : Integer.parseInt(value);
  }

  private static String xml(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (char c : text.toCharArray()) {
      switch (c) {
        case '&' -> b.append("&amp;");
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&apos;");
        case '\r' -> b.append("&#13;");
        case '\n' -> b.append("&#10;");
        case '\t' -> b.append("&#9;");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  // ---- Auto Scaling lifecycle hooks ------------------------------------------------------------------------------

  private static final String TERMINATING = "autoscaling:EC2_INSTANCE_TERMINATING";
  private static final Set<String> LIFECYCLE_APIS = Set.of("PutLifecycleHook", "DescribeLifecycleHooks",
      "CompleteLifecycleAction", "RecordLifecycleActionHeartbeat");

  private record Hook(String name, String transition, int heartbeatTimeout, String defaultResult) {}

  /**
   * A CompleteLifecycleAction or RecordLifecycleActionHeartbeat that found its action active (the ones AWS refused
   * are only in {@link #requests()}).
   *
   * @param result CONTINUE or ABANDON; null for a heartbeat
   */
  public record LifecycleCall(String api, String group, String hook, String instance, String result) {}

  /** The lifecycle calls that succeeded, in order. */
  public List<LifecycleCall> lifecycleCalls() {
    return List.copyOf(lifecycleCalls);
  }

  /** Whether the lifecycle action of {@code instance} for {@code hook} still waits for a completion. */
  public synchronized boolean actionActive(String group, String hook, String instance) {
    return activeActions.contains(List.of(group, hook, instance));
  }

  /** The action timed out (or was completed by someone else): calls about it now get AWS's ValidationError. */
  public synchronized void endAction(String group, String hook, String instance) {
    activeActions.remove(List.of(group, hook, instance));
  }

  private Reply lifecycle(String api, Map<String, String> form) {
    String groupName = form.get("AutoScalingGroupName");
    Group group = groupName == null ? null : groups.get(groupName);
    if (group == null) {
      throw new ApiError(400, "ValidationError", "Group " + groupName + " not found");
    }
    String body = switch (api) {
      case "PutLifecycleHook" -> {
        String transition = form.get("LifecycleTransition");
        if (!TERMINATING.equals(transition) && !"autoscaling:EC2_INSTANCE_LAUNCHING".equals(transition)) {
          throw new ApiError(400, "ValidationError", "Invalid Lifecycle Transition " + transition);
        }
        group.hooks.put(form.get("LifecycleHookName"), new Hook(form.get("LifecycleHookName"), transition,
            intParam(form, "HeartbeatTimeout", 3600), form.getOrDefault("DefaultResult", "ABANDON")));
        yield "";
      }
      case "DescribeLifecycleHooks" -> {
        List<String> names = list(form, "LifecycleHookNames.member.");
        StringBuilder b = new StringBuilder("<LifecycleHooks>");
        for (Hook h : group.hooks.values()) {
          if (names.isEmpty() || names.contains(h.name)) {
            b.append("<member><LifecycleHookName>").append(xml(h.name)).append("</LifecycleHookName>")
                .append("<AutoScalingGroupName>").append(xml(group.name)).append("</AutoScalingGroupName>")
                .append("<LifecycleTransition>").append(h.transition).append("</LifecycleTransition>")
                .append("<HeartbeatTimeout>").append(h.heartbeatTimeout).append("</HeartbeatTimeout>")
                .append("<GlobalTimeout>").append(Math.min(172800, 100 * h.heartbeatTimeout))
                .append("</GlobalTimeout><DefaultResult>").append(h.defaultResult).append("</DefaultResult>")
                .append("</member>");
          }
        }
        yield b.append("</LifecycleHooks>").toString();
      }
      default -> {
        String instance = form.get("InstanceId");
        String hook = form.get("LifecycleHookName");
        String result = form.get("LifecycleActionResult");
        boolean complete = api.equals("CompleteLifecycleAction");
        if (complete && !"CONTINUE".equals(result) && !"ABANDON".equals(result)) {
          throw new ApiError(400, "ValidationError", "Invalid LifecycleActionResult " + result);
        }
        if (!activeActions.contains(List.of(group.name, hook, instance))) {
          throw new ApiError(400, "ValidationError", "No active Lifecycle Action found with instance ID "
              + instance);
        }
        lifecycleCalls.add(new LifecycleCall(api, group.name, hook, instance, complete ? result : null));
        if (complete) {
          // The member stays Terminating:Wait in DescribeAutoScalingGroups until the test moves it on, as AWS
          // lists it a little longer: the window in which another balancer's completion loses the race.
          activeActions.remove(List.of(group.name, hook, instance));
        }
        yield "";
      }
    };
    return new Reply(200, "text/xml", "<" + api + "Response xmlns=\"" + AUTOSCALING_NS + "\"><" + api + "Result>"
        + body + "</" + api + "Result><ResponseMetadata><RequestId>00000000-0000-0000-0000-000000000000"
        + "</RequestId></ResponseMetadata></" + api + "Response>", null);
  }
}
