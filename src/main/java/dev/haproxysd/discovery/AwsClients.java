package dev.haproxysd.discovery;

import dev.haproxysd.model.Log;
import java.time.Duration;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.client.config.SdkAdvancedClientOption;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;

/**
 * The SDK clients of one run, each built on first use so a run pays only for the services it asks; they share one
 * URL-connection HTTP client, one region, one credentials provider and one call counter. Public for the fleet's S3
 * client ({@link #s3}); the discovery clients stay package-private.
 */
public final class AwsClients implements AutoCloseable {
  private static final Duration MAX_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private final AwsQuery.Connection connection;
  private final Log log;
  private final ApiCallCounter counter = new ApiCallCounter();
  private SdkHttpClient http;
  private Region region;
  private AwsCredentialsProvider credentials;
  private AutoScalingClient autoScaling;
  private Ec2Client ec2;
  private ServiceDiscoveryClient serviceDiscovery;
  private S3Client s3;

  public AwsClients(AwsQuery.Connection connection, Log log) {
    this.connection = connection;
    this.log = log;
  }

  synchronized AutoScalingClient autoScaling() {
    if (autoScaling == null) {
      autoScaling = timed("autoscaling", () -> configure(AutoScalingClient.builder()).build());
    }
    return autoScaling;
  }

  synchronized Ec2Client ec2() {
    if (ec2 == null) {
      ec2 = timed("ec2", () -> configure(Ec2Client.builder()).build());
    }
    return ec2;
  }

  synchronized ServiceDiscoveryClient serviceDiscovery() {
    if (serviceDiscovery == null) {
      serviceDiscovery = timed("servicediscovery", () -> configure(ServiceDiscoveryClient.builder()).build());
    }
    return serviceDiscovery;
  }

  /**
   * The S3 client (the shared inventory). With {@code --endpoint-url}, path-style addressing: the bucket in the path,
   * not in the host name, which an IP address, an emulator or a VPC endpoint could not resolve.
   */
  public synchronized S3Client s3() {
    if (s3 == null) {
      s3 = timed("s3", () -> configure(S3Client.builder()).forcePathStyle(connection.endpoint() != null).build());
    }
    return s3;
  }

  /** Building a client loads hundreds of SDK classes: the -v line says what start-up costs. */
  private <C> C timed(String service, Supplier<C> build) {
    long start = System.nanoTime();
    C client = build.get();
    log.debug(String.format("aws: %s client built in %d ms", service, (System.nanoTime() - start) / 1_000_000));
    return client;
  }

  public ApiCalls calls() {
    return counter.snapshot();
  }

  private <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C> B configure(B builder) {
    builder.httpClient(http()).region(region()).credentialsProvider(credentials());
    ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
        .retryStrategy(RetryMode.STANDARD)
        .apiCallTimeout(connection.callTimeout())
        .apiCallAttemptTimeout(connection.attemptTimeout())
        .addExecutionInterceptor(counter);
    if (connection.profile() != null) {
      override.defaultProfileName(connection.profile());
    }
    if (connection.endpoint() != null) {
      builder.endpointOverride(connection.endpoint());
      // DiscoverInstances would go to "data-" + host: illegal for an IP, absent on emulators and VPC endpoints.
      override.putAdvancedOption(SdkAdvancedClientOption.DISABLE_HOST_PREFIX_INJECTION, true);
    }
    return builder.overrideConfiguration(override.build());
  }

  private SdkHttpClient http() {
    if (http == null) {
      Duration attempt = connection.attemptTimeout();
      http = UrlConnectionHttpClient.builder()
          .connectionTimeout(attempt.compareTo(MAX_CONNECT_TIMEOUT) < 0 ? attempt : MAX_CONNECT_TIMEOUT)
          .socketTimeout(attempt)
          .build();
    }
    return http;
  }

  private Region region() {
    if (region == null) {
      if (connection.region() != null) {
        region = Region.of(connection.region());
      } else {
        try {
          DefaultAwsRegionProviderChain.Builder chain = DefaultAwsRegionProviderChain.builder();
          if (connection.profile() != null) {
            chain.profileName(connection.profile());
          }
          region = chain.build().getRegion();
        } catch (SdkClientException e) {
          throw new DiscoveryException("AWS: no region found: give --region, set AWS_REGION, or set a region in "
              + "the profile", e);
        }
      }
    }
    return region;
  }

  private AwsCredentialsProvider credentials() {
    if (credentials == null) {
      credentials = connection.profile() != null
          ? ProfileCredentialsProvider.builder().profileName(connection.profile()).build()
          : DefaultCredentialsProvider.builder().build();
    }
    return credentials;
  }

  @Override
  public synchronized void close() {
    for (AutoCloseable c : new AutoCloseable[] {autoScaling, ec2, serviceDiscovery, s3, http}) {
      if (c != null) {
        try {
          c.close();
        } catch (Exception e) {
          // closing a client of a finished run cannot change its result
        }
      }
    }
    if (credentials instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // as above
      }
    }
  }
}
