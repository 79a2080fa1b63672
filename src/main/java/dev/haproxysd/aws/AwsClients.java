package dev.haproxysd.aws;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.SdkClient;
import software.amazon.awssdk.core.client.builder.SdkSyncClientBuilder;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.servicediscovery.ServiceDiscoveryClient;

/**
 * The SDK clients of one (account, region) pair, each built on first use with the pair's region and credentials
 * and the session's HTTP client, retries, timeouts, endpoint and call counter. Closed with the session.
 *
 * <p>A service without an accessor here: {@code clients.client("sqs", SqsClient::builder)}.
 */
public final class AwsClients {
  private final AwsSession session;
  private final AwsPair pair;
  private final Map<String, SdkClient> built = new LinkedHashMap<>();

  AwsClients(AwsSession session, AwsPair pair) {
    this.session = session;
    this.pair = pair;
  }

  public AwsPair pair() {
    return pair;
  }

  public AutoScalingClient autoScaling() {
    return client("autoscaling", AutoScalingClient::builder);
  }

  public Ec2Client ec2() {
    return client("ec2", Ec2Client::builder);
  }

  public ServiceDiscoveryClient serviceDiscovery() {
    return client("servicediscovery", ServiceDiscoveryClient::builder);
  }

  /**
   * The S3 client (the fleet's shared inventory). With {@code --endpoint-url}, path-style addressing: the bucket in
   * the path, not in the host name, which an IP address, an emulator or a VPC endpoint could not resolve.
   */
  public S3Client s3() {
    return client("s3", () -> S3Client.builder().forcePathStyle(session.endpointOverridden()));
  }

  /**
   * The client of {@code service} for this pair, built once from {@code builder} (which may set what only that
   * service has) with everything the session sets.
   *
   * @param service a stable key, e.g. {@code s3}; also named in the {@code -v} start-up lines
   */
  @SuppressWarnings("unchecked")
  public synchronized <B extends AwsClientBuilder<B, C> & SdkSyncClientBuilder<B, C>, C extends SdkClient> C client(
      String service, Supplier<B> builder) {
    SdkClient client = built.get(service);
    if (client == null) {
      long start = System.nanoTime();
      client = session.configure(builder.get(), Region.of(pair.region()), session.credentials(pair), service)
          .build();
      session.logBuilt(service, pair, System.nanoTime() - start);
      built.put(service, client);
    }
    return (C) client;
  }

  synchronized void close() {
    for (SdkClient c : built.values()) {
      try {
        c.close();
      } catch (RuntimeException e) {
        // closing a client of a finished run cannot change its result
      }
    }
    built.clear();
  }
}
