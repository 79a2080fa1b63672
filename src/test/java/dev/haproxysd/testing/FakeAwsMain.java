package dev.haproxysd.testing;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.TreeMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * {@link FakeAws} as a standalone process for the benchmark (packaging/bench/run.sh): generates Auto Scaling groups
 * and a Cloud Map namespace, prints the endpoint URL on stdout, serves until standard input ends or a signal
 * arrives, then prints how many requests each API received on stderr.
 *
 * <pre>
 * java -cp target/test-classes:target/lib/* dev.haproxysd.testing.FakeAwsMain \
 *     --groups 200 --instances 10000 --services 200 --service-instances 10000
 * </pre>
 *
 * <p>With {@code -Dfakeaws.tls.keystore=FILE.p12} (password {@code changeit}) it speaks HTTPS with that key and
 * prints an {@code https://} URL (packaging/bench/startup.sh with {@code TLS=1}).
 *
 * <p>Groups are {@code bench-g000}.. tagged {@code env=bench}; instances are spread evenly over them, InService and
 * running, with private addresses {@code 10.x.y.z}. Cloud Map services {@code svc000}.. live in the HTTP namespace
 * {@code bench}, each instance with {@code AWS_INSTANCE_IPV4} and {@code AWS_INSTANCE_PORT} 8080.
 */
public final class FakeAwsMain {
  private FakeAwsMain() {}

  public static void main(String[] args) throws Exception {
    String keyStore = System.getProperty("fakeaws.tls.keystore");
    Map<String, Integer> counts = parse(args);
    FakeAws aws = FakeAws.start(keyStore == null ? null : tls(Path.of(keyStore)));
    SigV4.issued("AKIDHAPROXYSDBENCH", "bench-secret", null); // the keys packaging/bench signs with
    populateGroups(aws, counts.get("--groups"), counts.get("--instances"));
    populateCloudMap(aws, counts.get("--services"), counts.get("--service-instances"));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> report(aws), "fake-aws-report"));
    System.out.println(aws.endpoint());
    System.out.flush();
    InputStream in = System.in;
    while (in.read() >= 0) {
      // serve until the benchmark closes our standard input
    }
    System.exit(0);
  }

  /** The server side of TLS from a PKCS12 key store whose password is {@code changeit} (keytool's default). */
  private static SSLContext tls(Path keyStore) throws Exception {
    char[] password = "changeit".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keyStore)) {
      keys.load(in, password);
    }
    KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    managers.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(managers.getKeyManagers(), null, null);
    return context;
  }

  private static Map<String, Integer> parse(String[] args) {
    Map<String, Integer> counts = new TreeMap<>(Map.of(
        "--groups", 0, "--instances", 0, "--services", 0, "--service-instances", 0));
    for (int i = 0; i < args.length; i++) {
      if (!counts.containsKey(args[i]) || i + 1 == args.length) {
        throw new IllegalArgumentException("usage: FakeAwsMain [--groups G --instances N] "
            + "[--services S --service-instances M]; unexpected " + args[i]);
      }
      counts.put(args[i], Integer.parseInt(args[++i]));
    }
    return counts;
  }

  private static void populateGroups(FakeAws aws, int groups, int instances) {
    for (int g = 0; g < groups; g++) {
      aws.group(groupName(g)).tag("env", "bench");
    }
    for (int n = 0; n < instances && groups > 0; n++) {
      aws.asgInstance(groupName(n % groups), String.format("i-%017x", n), "InService", address(n));
    }
  }

  private static void populateCloudMap(FakeAws aws, int services, int instances) {
    if (services == 0) {
      return;
    }
    FakeAws.Namespace namespace = aws.namespace("bench");
    for (int s = 0; s < services; s++) {
      namespace.service(String.format("svc%03d", s));
    }
    for (int n = 0; n < instances; n++) {
      namespace.service(String.format("svc%03d", n % services))
          .instance(String.format("inst-%06d", n), address(n), 8080);
    }
  }

  private static String groupName(int g) {
    return String.format("bench-g%03d", g);
  }

  private static String address(int n) {
    int m = n + 1;
    return "10." + (m >> 16 & 255) + "." + (m >> 8 & 255) + "." + (m & 255);
  }

  private static void report(FakeAws aws) {
    Map<String, Integer> byApi = new TreeMap<>();
    aws.requests().forEach(r -> byApi.merge(r.api(), 1, Integer::sum));
    System.err.println("fake-aws: " + aws.requests().size() + " requests " + byApi);
    aws.close();
  }
}
