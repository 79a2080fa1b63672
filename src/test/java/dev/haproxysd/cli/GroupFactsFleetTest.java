package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Sha256;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.FakeS3;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Group facts travel with the inventory (version 2): a balancer reading {@code s3://...} guards like one that
 * discovers, a service spanning regions keeps each region's group, a version 1 object from an older publisher keeps
 * the confirm window, and a change of group facts alone changes nothing on a balancer. The fake Auto Scaling/EC2
 * and S3 endpoints through the real SDK, in process.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class GroupFactsFleetTest {
  private static final String URL = "s3://fleet-inventory/prod/inventory.json";

  private final FakeAws aws = FakeAws.start();
  private final FakeAws west = FakeAws.start();
  private final FakeS3 s3 = FakeS3.start().forwardOthersTo(aws.endpoint());
  @TempDir Path dir;

  @AfterEach
  void stop() {
    s3.close();
    west.close();
    aws.close();
  }

  private Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--endpoint-url", s3.endpoint().toString()));
    if (!all.contains("--region")) {
      all.addAll(List.of("--region", "us-east-1"));
    }
    return Cli.run(all);
  }

  private Cli.Result publish(String... regions) {
    List<String> args = new ArrayList<>(List.of("discover", "-q", "--asg", "web", "--publish", URL));
    for (String region : regions) {
      args.addAll(List.of("--region", region));
    }
    return run(args.toArray(String[]::new));
  }

  private Cli.Result apply(String... more) {
    List<String> args = new ArrayList<>(List.of("apply", "-q", "--inventory", URL, "--config-file",
        config().toString(), "--state-dir", stateDir().toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private Path config() {
    return dir.resolve("reader/haproxy.cfg");
  }

  private Path stateDir() {
    return dir.resolve("reader/state");
  }

  private static String id(int n) {
    return String.format("i-0abc%04d", n);
  }

  /** Group web in {@code where} with {@code count} InService instances at 10.R.0.n. */
  private static void webGroup(FakeAws where, int region, int count) {
    where.group("web").tag("HAProxy:Service:Port", "8080");
    for (int n = 1; n <= count; n++) {
      where.asgInstance("web", id(region * 100 + n), "InService", "10." + region + ".0." + n);
    }
  }

  private String config(Path file) throws IOException {
    return Files.readString(file);
  }

  /** Every file under {@code root} with its bytes and modification time, but the reader's download cache. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        if (!p.getFileName().toString().equals("s3-inventory.cache")) {
          files.put(root.relativize(p).toString(), Sha256.of(Files.readAllBytes(p)).hex() + " "
              + Files.getLastModifiedTime(p).toMillis());
        }
      }
    }
    return files;
  }

  @Test
  void s3Reader_appliesADesiredCapacityScaleIn_onItsFirstRun_withDefaultGuards() throws Exception {
    s3.bucket("fleet-inventory");
    webGroup(aws, 0, 6);
    assertEquals(0, publish().code());
    assertEquals(0, apply().code());
    assertTrue(s3.object("fleet-inventory", "prod/inventory.json").text().startsWith("{\n  \"version\": 2,"));

    for (int n = 2; n <= 6; n++) {
      aws.group("web").removeMember(id(n)); // DesiredCapacity 6 -> 1: the group's own scale-in
    }
    assertEquals(0, publish().code());
    Cli.Result scaledIn = apply();

    assertEquals(0, scaledIn.code(), scaledIn.err());
    assertEquals("", scaledIn.err(), "no confirm window: the group explains the 5 removals");
    assertTrue(config(config()).contains("10.0.0.1:8080") && !config(config()).contains("10.0.0.2:8080"));
    assertFalse(Files.exists(stateDir().resolve("pending-shrink.json")), "nothing waits for confirmation");
  }

  @Test
  void s3Reader_refusesFourOfFiveDying_onEveryRun() throws Exception {
    s3.bucket("fleet-inventory");
    webGroup(aws, 0, 5);
    assertEquals(0, publish().code());
    assertEquals(0, apply().code());
    Map<String, String> before = snapshot(dir.resolve("reader"));
    aws.group("web").desiredCapacity(5);
    for (int n = 2; n <= 5; n++) {
      aws.instance(id(n)).state("terminated"); // died; the group still wants 5 and still lists them
    }
    assertEquals(0, publish().code());

    for (int run = 1; run <= 5; run++) {
      Cli.Result refused = apply();
      assertEquals(ExitCode.GUARD_REFUSED.code, refused.code(), "run " + run + ": " + refused.err());
      assertTrue(refused.oneErrorLine(), refused.err());
      assertTrue(refused.err().contains("4 of 5 servers (80%) are missing while their Auto Scaling group still "
          + "wants them (web wants 5, would serve 1)"), refused.err());
    }
    Map<String, String> after = snapshot(dir.resolve("reader"));
    assertTrue(Files.readString(dir.resolve("reader/state/last-run.json")).contains("\"exitCode\":19"),
        "the refusal is recorded for status");
    before.remove("state/last-run.json");
    after.remove("state/last-run.json");
    assertEquals(before, after, "config and state as they were");
  }

  @Test
  void v1ObjectFromAnOlderPublisher_stillWorks_withTheConfirmWindow() throws Exception {
    s3.bucket("fleet-inventory");
    StringBuilder servers = new StringBuilder();
    for (int n = 1; n <= 4; n++) {
      servers.append(n == 1 ? "" : ", ").append("{\"id\": \"").append(id(n)).append("\", \"address\": \"10.0.0.")
          .append(n).append("\", \"port\": 8080}");
    }
    putV1(servers.toString());
    assertEquals(0, apply().code());
    putV1("{\"id\": \"" + id(1) + "\", \"address\": \"10.0.0.1\", \"port\": 8080}");

    for (int run = 1; run <= 2; run++) {
      Cli.Result refused = apply();
      assertEquals(ExitCode.GUARD_REFUSED.code, refused.code(), refused.err());
      assertTrue(refused.err().contains("3 of 4 servers (75%) would be removed by a source without desired "
          + "capacity") && refused.err().contains("seen in " + run + " of 3 consecutive runs"), refused.err());
    }
    Cli.Result third = apply();
    assertEquals(0, third.code(), third.err());
    assertFalse(config(config()).contains("10.0.0.2:8080"));
  }

  private void putV1(String servers) {
    s3.put("fleet-inventory", "prod/inventory.json", "{\"version\": 1, \"services\": [{\"name\": \"web\", "
        + "\"servers\": [" + servers + "]}]}\n", Map.of("discovered-at", Instant.now().toString()), Instant.now());
  }

  @Test
  void aServiceSpanningTwoRegions_keepsTheGuardPerGroup_readerAndDiscoverer() throws Exception {
    s3.bucket("fleet-inventory");
    aws.route(null, "eu-west-1", west);
    webGroup(aws, 0, 3);
    webGroup(west, 1, 6);
    assertEquals(0, publish("us-east-1", "eu-west-1").code());
    assertEquals(0, apply().code());
    Path discoverer = dir.resolve("discoverer");
    List<String> own = List.of("apply", "-q", "--asg", "web", "--region", "us-east-1", "--region", "eu-west-1",
        "--config-file", discoverer.resolve("haproxy.cfg").toString(), "--state-dir",
        discoverer.resolve("state").toString());
    assertEquals(0, run(own.toArray(String[]::new)).code());

    for (int n = 2; n <= 6; n++) {
      west.group("web").removeMember(id(100 + n)); // eu-west-1 scales in 6 -> 1: 5 of 9 servers
    }
    assertEquals(0, publish("us-east-1", "eu-west-1").code());
    Cli.Result reader = apply();
    Cli.Result discovering = run(own.toArray(String[]::new));

    assertEquals(0, reader.code(), reader.err());
    assertEquals(0, discovering.code(), discovering.err());
    assertEquals(config(config()), config(discoverer.resolve("haproxy.cfg")));
    assertFalse(config(config()).contains("10.1.0.2:8080"));

    aws.group("web").desiredCapacity(3);
    for (int n = 1; n <= 3; n++) {
      aws.instance(id(n)).state("terminated"); // us-east-1's instances die while their group wants 3
    }
    assertEquals(0, publish("us-east-1", "eu-west-1").code());
    Cli.Result refused = apply();
    assertEquals(ExitCode.GUARD_REFUSED.code, refused.code(), refused.err());
    assertTrue(refused.err().contains("3 of 4 servers (75%) are missing while their Auto Scaling group still wants "
        + "them (web (group 'web' in us-east-1) wants 3, would serve 0)"), refused.err());
  }

  @Test
  void aChangeOfGroupFactsAlone_leavesConfigStateAndMtimesUntouched_readerAndDiscoverer() throws Exception {
    s3.bucket("fleet-inventory");
    webGroup(aws, 0, 2);
    assertEquals(0, publish().code());
    assertEquals(0, apply().code());
    Path discoverer = dir.resolve("discoverer");
    String[] own = {"apply", "-q", "--asg", "web", "--config-file", discoverer.resolve("haproxy.cfg").toString(),
        "--state-dir", discoverer.resolve("state").toString()};
    assertEquals(0, run(own).code());
    String published = s3.object("fleet-inventory", "prod/inventory.json").text();
    Map<String, String> reader = snapshot(dir.resolve("reader"));
    Map<String, String> discovering = snapshot(discoverer);

    aws.group("web").desiredCapacity(3); // wants one more,
    aws.asgInstance("web", id(9), "Pending", "10.0.0.9"); // which is on its way: not a server yet
    assertEquals(0, publish().code());
    assertNotEquals(published, s3.object("fleet-inventory", "prod/inventory.json").text(), "new group facts");
    Cli.Result read = apply("-v");
    Cli.Result discovered = run(Stream.concat(Stream.of(own), Stream.of("-v")).toArray(String[]::new));

    assertEquals(0, read.code(), read.err());
    assertEquals(0, discovered.code(), discovered.err());
    assertTrue(read.err().contains("render skipped"), read.err());
    assertEquals(reader, snapshot(dir.resolve("reader")), "nothing rendered, written or recorded");
    assertEquals(discovering, snapshot(discoverer), "nothing rendered, written or recorded");
  }

  @Test
  void aFutureDiscoveredAt_onAnObjectWrittenLongAgo_isStale_exit22_andThePublishersClockIsNamed() throws Exception {
    s3.bucket("fleet-inventory");
    webGroup(aws, 0, 2);
    assertEquals(0, publish().code());
    String body = s3.object("fleet-inventory", "prod/inventory.json").text();
    Instant longAgo = Instant.now().minus(Duration.ofMinutes(75));
    Instant ahead = longAgo.plus(Duration.ofHours(2)); // a publisher whose clock ran 2 hours ahead, then died
    s3.put("fleet-inventory", "prod/inventory.json", body, Map.of("discovered-at", ahead.toString()), longAgo);

    Cli.Result stale = run("render", "--inventory", URL);

    assertEquals(ExitCode.STALE_INVENTORY.code, stale.code(), stale.err());
    assertEquals(2, stale.errLines().size(), stale.err());
    assertTrue(stale.errLines().get(0).startsWith("haproxy-sd: warning: " + URL + ": its publisher's clock is 2h00m "
        + "ahead (discovered at " + ahead + ", stored by S3 at "), stale.err());
    assertTrue(stale.errLines().get(1).startsWith("haproxy-sd: the inventory " + URL + " is 1h15m old (uploaded at "
        + longAgo.truncatedTo(java.time.temporal.ChronoUnit.SECONDS) + " (S3 Last-Modified)), older than "
        + "--max-inventory-age 10m00s"), stale.err());

    s3.put("fleet-inventory", "prod/inventory.json", body, Map.of("discovered-at", Instant.now().plus(
        Duration.ofSeconds(30)).toString()), Instant.now());
    Cli.Result fresh = run("render", "--inventory", URL);
    assertEquals(0, fresh.code(), fresh.err());
    assertEquals("", fresh.err(), "30 s ahead is within a minute: no warning");
  }
}
