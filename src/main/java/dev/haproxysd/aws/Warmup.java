package dev.haproxysd.aws;

import java.security.KeyStore;
import java.util.EnumSet;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * The start-up work of every AWS run that depends on nothing the run says: the TLS context with the JDK's trust
 * store, the SDK's metadata of every service, and linking the client classes (linking {@code DefaultEc2Client}
 * alone loads about 1,000 model classes). {@link #start} does it on a background thread while picocli still builds
 * the command model, which takes about a tenth of a second off a cron run's wall time; {@link AwsSession#open}
 * waits for it to finish, so no SDK class is ever initialised by two threads at once. It only saves time: anything
 * that fails here is left for the run itself to meet and report.
 *
 * <pre>{@code
 * Warmup.start(EnumSet.of(Warmup.Service.AUTOSCALING, Warmup.Service.EC2));
 * ...
 * AwsSession.open(settings, environment, log);   // waits for it
 * }</pre>
 */
public final class Warmup {
  /** The services a run may call, by the SDK client class that linking pays for. */
  public enum Service {
    AUTOSCALING("software.amazon.awssdk.services.autoscaling.DefaultAutoScalingClient"),
    EC2("software.amazon.awssdk.services.ec2.DefaultEc2Client"),
    SERVICEDISCOVERY("software.amazon.awssdk.services.servicediscovery.DefaultServiceDiscoveryClient"),
    S3("software.amazon.awssdk.services.s3.DefaultS3Client");

    final String clientClass;

    Service(String clientClass) {
      this.clientClass = clientClass;
    }
  }

  /** Far longer than the warm-up takes; a run never waits on it for more. */
  private static final long WAIT_MILLIS = 10_000;
  private static Thread running;

  private Warmup() {}

  /** Starts warming up for {@code services}, unless there are none or a warm-up is still running. */
  public static void start(Set<Service> services) {
    if (!services.isEmpty()) {
      Set<Service> copy = EnumSet.copyOf(services);
      start(() -> run(copy));
    }
  }

  /** Runs {@code work} as the warm-up, unless one is still running. */
  static synchronized void start(Runnable work) {
    if (running != null && running.isAlive()) {
      return;
    }
    running = new Thread(work, "aws-warmup");
    running.setDaemon(true);
    running.start();
  }

  /** Waits for a running warm-up to finish; returns at once when none was started. */
  static void await() {
    Thread thread;
    synchronized (Warmup.class) {
      thread = running;
      running = null;
    }
    if (thread == null) {
      return;
    }
    try {
      thread.join(WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The warm-up itself; true when every step succeeded. */
  static boolean run(Set<Service> services) {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init((KeyStore) null);
      SSLContext.getInstance("TLS").init(null, trust.getTrustManagers(), null);
      ServiceMetadata.of("ec2");
      ClassLoader loader = Warmup.class.getClassLoader();
      for (Service service : services) {
        Class.forName(service.clientClass, true, loader);
      }
      return true;
    } catch (Exception | LinkageError e) {
      return false;
    }
  }
}
