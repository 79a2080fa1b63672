package dev.haproxysd.aws;

import dev.haproxysd.model.Log;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Everything AWS of one run: the (account, region) pairs it works in, their clients, the credentials (the chain,
 * then one assumed role per {@code --role-arn}), one HTTP client and one call counter. Clients are built on first
 * use, so a run pays only for the services it calls. Close it when the run is done.
 *
 * <pre>{@code
 * try (AwsSession aws = AwsSession.open(settings, AwsEnvironment.system(), log)) {
 *   for (AwsPair pair : aws.pairs()) {
 *     AwsClients clients = aws.clients(pair);
 *     new AwsCall("ec2", "DescribeInstances", "all").allPages(
 *         token -> clients.ec2().describeInstances(b -> b.nextToken(token)), DescribeInstancesResponse::nextToken);
 *   }
 *   log.debug("aws: " + aws.calls());
 * }
 * }</pre>
 */
public final class AwsSession implements AutoCloseable {
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final AwsSettings settings;
  private final AwsEnvironment environment;
  private final Log log;
  private final ApiCallCounter counter = new ApiCallCounter();
  private final Credentials credentials;
  private final List<AwsPair> pairs;
  private final Map<AwsPair, AwsClients> clients = new LinkedHashMap<>();
  private SdkHttpClient http;

  private AwsSession(AwsSettings settings, AwsEnvironment environment, Log log) {
    this.settings = settings;
    this.environment = environment;
    this.log = log;
    this.credentials = new Credentials(settings, environment,
        source -> {
          long start = System.nanoTime();
          StsClient sts = configure(StsClient.builder(), stsRegion(), source, "sts").build();
          logBuilt("sts", null, System.nanoTime() - start);
          return sts;
        });
    this.pairs = pairs(settings, regions());
  }

  /**
   * Resolves the regions ({@code --region}, else AWS_REGION, the profile's or the instance's) and the pairs; builds
   * no client yet.
   *
   * @throws AwsException when no region is given and none can be found
   */
  public static AwsSession open(AwsSettings settings, AwsEnvironment environment, Log log) {
    Warmup.await();
    return new AwsSession(settings, environment, log);
  }

  /** Every account (role, or the chain's own identity) times every region, accounts first, as given. */
  public List<AwsPair> pairs() {
    return pairs;
  }

  /**
   * True when a result must say which pair it came from: several pairs, or an assumed role. A run with one region
   * and no {@code --role-arn} says nothing of pairs, exactly as before they existed.
   */
  public boolean namesPairs() {
    return pairs.size() > 1 || !settings.roleArns().isEmpty();
  }

  /**
   * The pair a server was discovered in, from its {@code region} and {@code account}: those are empty in a run
   * with one pair, which is then the answer. For a follow-up call about a server (a lifecycle action, say).
   *
   * @throws IllegalArgumentException when no pair of this session matches
   */
  public AwsPair pairOf(String region, String account) {
    if (pairs.size() == 1 && region.isEmpty() && account.isEmpty()) {
      return pairs.get(0);
    }
    return pairs.stream().filter(p -> p.region().equals(region) && p.account().equals(account)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no pair of this run is in region '" + region
            + "' and account '" + account + "'"));
  }

  /** The clients of one pair, built on first use and shared by every caller of this session. */
  public synchronized AwsClients clients(AwsPair pair) {
    if (!pairs.contains(pair)) {
      throw new IllegalArgumentException(pair + " is not a pair of this session");
    }
    return clients.computeIfAbsent(pair, p -> new AwsClients(this, p));
  }

  /** The calls made so far through every client of this session, STS included. */
  public ApiCalls calls() {
    return counter.snapshot();
  }

  /** True when requests go to {@code --endpoint-url} (an emulator, a VPC endpoint): S3 then needs path-style. */
  public boolean endpointOverridden() {
    return settings.endpoint() != null;
  }

  /** STS is regional; the run's first region answers for every role. */
  private Region stsRegion() {
    return Region.of(pairs.get(0).region());
  }

  AwsCredentialsProvider credentials(AwsPair pair) {
    return credentials.forRole(pair.roleArn());
  }

  /** Region, credentials, HTTP client, retries, timeouts, call counting and endpoint of every client. */
  <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> B configure(
      B builder, Region region, AwsCredentialsProvider source, String service) {
    builder.httpClient(http()).region(region).credentialsProvider(source);
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
        .retryStrategy(RetryMode.STANDARD)
        .apiCallTimeout(settings.callTimeout())
        .apiCallAttemptTimeout(settings.attemptTimeout())
        .addExecutionInterceptor(counter)
        // the same profile file and name the credentials came from, for a profile's endpoint_url and retry settings
        .defaultProfileFileSupplier(credentials::profiles)
        .defaultProfileName(credentials.profileName());
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    if (customEndpoint()) {
      // DiscoverInstances would go to "data-" + host: illegal for an IP, absent on emulators and VPC endpoints.
      override.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
    }
    return builder.overrideConfiguration(override.build());
  }

  /** Building a client loads hundreds of SDK classes: the -v line says what start-up costs. */
  void logBuilt(String service, AwsPair pair, long nanos) {
    log.debug(String.format("aws: %s client%s built in %d ms", service,
        pair != null && namesPairs() ? " for " + pair : "", nanos / 1_000_000));
  }

  /** --endpoint-url, AWS_ENDPOINT_URL[_SERVICE] or a profile's endpoint_url (or services section). */
  private boolean customEndpoint() {
    if (settings.endpoint() != null
        || environment.env().keySet().stream().anyMatch(k -> k.startsWith("AWS_ENDPOINT_URL"))) {
      return true;
    }
    Profile profile = credentials.profiles().profile(credentials.profileName()).orElse(null);
    return profile != null && (profile.property("endpoint_url").isPresent()
        || profile.property("services").isPresent());
  }

  private synchronized SdkHttpClient http() {
    if (http == null) {
      Duration attempt = settings.attemptTimeout();
      http = UrlConnectionHttpClient.builder()
          .connectionTimeout(attempt.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? attempt : MAX_CONNECT_TIMEOUT)
          .socketTimeout(attempt)
          .build();
    }
    return http;
  }

  private List<String> regions() {
    if (!settings.regions().isEmpty()) {
      return settings.regions().stream().distinct().toList();
    }
    try {
      return List.of(DefaultAwsRegionProviderChain.builder()
          .profileFile(credentials::profiles)
          .profileName(credentials.profileName())
          .build().getRegion().id());
    } catch (SdkClientException e) {
      throw new AwsException("AWS: no region found: give --region, set AWS_REGION, or set a region in the profile",
          e);
    }
  }

  private static List<AwsPair> pairs(AwsSettings settings, List<String> regions) {
    List<String> roles = settings.roleArns().isEmpty() ? java.util.Collections.singletonList(null)
        : settings.roleArns().stream().distinct().toList();
    List<AwsPair> pairs = new ArrayList<>();
    for (String role : roles) {
      for (String region : regions) {
        pairs.add(new AwsPair(role, region));
      }
    }
    return List.copyOf(pairs);
  }

  @Override
  public synchronized void close() {
    for (AwsClients c : clients.values()) {
      c.close();
    }
    credentials.close();
    if (http != null) {
      http.close();
    }
  }
}
