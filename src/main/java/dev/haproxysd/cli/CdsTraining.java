package dev.haproxysd.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The class-data-sharing training run (packaging/deb/cds-train, at install): JDK 17 archives the classes one run
 * loads, and a run that only reaches a closed port never builds the EC2 client nor parses an AWS answer — about
 * 1,000 SDK classes a real cron run then loads and verifies (~0.3 s). So the training answers the discovery
 * calls itself, from a loopback port with one canned group, instance and Cloud Map service, and runs {@code
 * discover}, {@code render}, {@code diff} and {@code apply --dry-run} (into temporary files) in this JVM; for the
 * fleet, a {@code discover --publish} and a {@code render --inventory s3://...} against canned S3 answers (the S3
 * client is only loaded by runs that use it, and then these classes come from the archive too). Nothing leaves the
 * machine; the output is discarded.
 *
 * <p>Selected by {@code -Dhaproxy-sd.cds-training=true}; the arguments are an inventory file for the render, then
 * options for render, diff and apply (tests pass {@code --var user=none}).
 */
final class CdsTraining {
  static final String PROPERTY = "haproxy-sd.cds-training";

  private static final String AUTOSCALING = "<DescribeAutoScalingGroupsResponse "
      + "xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\"><DescribeAutoScalingGroupsResult>"
      + "<AutoScalingGroups><member><AutoScalingGroupName>cds-training</AutoScalingGroupName><Instances><member>"
      + "<InstanceId>i-0cd5</InstanceId><AvailabilityZone>us-east-1a</AvailabilityZone><LifecycleState>InService"
      + "</LifecycleState><HealthStatus>Healthy</HealthStatus></member></Instances><Tags><member><Key>"
      + "HAProxy:Service:Port</Key><Value>8080</Value></member></Tags></member></AutoScalingGroups>"
      + "</DescribeAutoScalingGroupsResult><ResponseMetadata><RequestId>0</RequestId></ResponseMetadata>"
      + "</DescribeAutoScalingGroupsResponse>";
  private static final String EC2 = "<DescribeInstancesResponse xmlns=\"http://ec2.amazonaws.com/doc/2016-11-15/\">"
      + "<requestId>0</requestId><reservationSet><item><reservationId>r-0</reservationId><instancesSet><item>"
      + "<instanceId>i-0cd5</instanceId><instanceState><code>16</code><name>running</name></instanceState>"
      + "<placement><availabilityZone>us-east-1a</availabilityZone></placement><privateIpAddress>192.0.2.10"
      + "</privateIpAddress><tagSet><item><key>Name</key><value>cds</value></item></tagSet></item></instancesSet>"
      + "</item></reservationSet></DescribeInstancesResponse>";
  private static final String NAMESPACES = "{\"Namespaces\":[{\"Id\":\"ns-cds\",\"Name\":\"cds-training\","
      + "\"Type\":\"HTTP\",\"Properties\":{\"HttpProperties\":{\"HttpName\":\"cds-training\"}}}]}";
  private static final String SERVICES = "{\"Services\":[{\"Id\":\"srv-cds\",\"Name\":\"cds-cloudmap\","
      + "\"InstanceCount\":1}]}";
  private static final String INSTANCES = "{\"Instances\":[{\"InstanceId\":\"cds-1\",\"NamespaceName\":"
      + "\"cds-training\",\"ServiceName\":\"cds-cloudmap\",\"HealthStatus\":\"HEALTHY\",\"Attributes\":"
      + "{\"AWS_INSTANCE_IPV4\":\"192.0.2.11\",\"AWS_INSTANCE_PORT\":\"8080\"}}]}";

  private static final String S3_INVENTORY = "{\"version\": 1, \"services\": []}\n";

  private CdsTraining() {}

  /** Runs the training commands; returns the exit code of the last one that failed, else 0. */
  static int run(String... args) throws IOException {
    return run(Path.of(System.getProperty("java.io.tmpdir")), new PrintWriter(Writer.nullWriter()), args);
  }

  /** {@link #run(String...)} with its temporary files in {@code tmp} and what the commands print in {@code output}. */
  static int run(Path tmp, PrintWriter output, String... args) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", CdsTraining::answer);
    server.start();
    Path state = Files.createTempDirectory(tmp, "haproxy-sd-cds");
    Path config = Files.createTempFile(tmp, "haproxy-sd-cds", ".cfg");
    try {
      String endpoint = "http://127.0.0.1:" + server.getAddress().getPort();
      String[] aws = {"--config", "/dev/null", "--asg", "cds-training", "--cloudmap-namespace", "cds-training",
          "--region", "us-east-1", "--endpoint-url", endpoint};
      String[] inventory = args.length > 0 ? new String[] {"--inventory", args[0]} : new String[0];
      String[] options = args.length > 1 ? java.util.Arrays.copyOfRange(args, 1, args.length) : new String[0];
      int code = 0;
      // A run builds only the subcommands it names (CommandTree): --help builds them all, so all are archived.
      code = worst(code, command(output, "--help"));
      code = worst(code, command(output, "discover", aws, new String[] {"-o", "json"}));
      code = worst(code, command(output, "render", aws, inventory, options));
      code = worst(code, command(output, "diff", aws, inventory, options, new String[] {"--config-file", "/dev/null"}));
      code = worst(code, command(output, "apply", aws, inventory, options,
          new String[] {"--dry-run", "--config-file", config.toString(), "--state-dir", state.toString()}));
      code = worst(code, command(output, "discover", aws,
          new String[] {"--publish", "s3://cds-training/inventory.json"}));
      code = worst(code, command(output, "render", new String[] {"--config", "/dev/null", "--region", "us-east-1",
          "--endpoint-url", endpoint, "--inventory", "s3://cds-training/inventory.json"}));
      return code;
    } finally {
      server.stop(0);
      delete(state);
      delete(config);
    }
  }

  private static void delete(Path path) throws IOException {
    try (Stream<Path> tree = Files.walk(path)) {
      for (Path p : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int worst(int code, int next) {
    return next == ExitCode.OK.code || next == ExitCode.DIFFERS.code ? code : next;
  }

  private static int command(PrintWriter output, String name, String[]... parts) {
    List<String> args = new ArrayList<>(List.of(name));
    for (String[] part : parts) {
      args.addAll(List.of(part));
    }
    // Its own environment: the installing shell's HAPROXY_SD_* variables must not change what is trained.
    int code = Main.run(new ByteArrayInputStream(new byte[0]), output, output, Map.of(), args.toArray(new String[0]));
    output.flush();
    return code;
  }

  private static void answer(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!exchange.getRequestMethod().equals("POST")) {
        answerS3(exchange);
        return;
      }
      String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
      String reply;
      String type = "text/xml";
      if (body.contains("Action=DescribeAutoScalingGroups")) {
        reply = AUTOSCALING;
      } else if (body.contains("Action=DescribeInstances")) {
        reply = EC2;
      } else {
        type = "application/x-amz-json-1.1";
        reply = target.endsWith(".ListNamespaces") ? NAMESPACES : target.endsWith(".ListServices") ? SERVICES
            : target.endsWith(".DiscoverInstances") ? INSTANCES : "{}";
      }
      byte[] bytes = reply.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** PutObject: accepted; GetObject: an empty inventory, discovered just now. */
  private static void answerS3(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().set("ETag", "\"cds-training\"");
    if (exchange.getRequestMethod().equals("PUT")) {
      exchange.sendResponseHeaders(200, -1);
      return;
    }
    byte[] bytes = S3_INVENTORY.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.getResponseHeaders().set("x-amz-meta-discovered-at", java.time.Instant.now().toString());
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
