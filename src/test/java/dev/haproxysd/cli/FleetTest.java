package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.FakeS3;
import dev.haproxysd.testing.Fault;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One discoverer, many balancers: {@code discover --publish} against the fake Auto Scaling/EC2 endpoint, readers with
 * {@code --inventory s3://...} against the fake S3 endpoint, both through the real SDK over HTTP, in process.
 */
class FleetTest {
  private static final String URL = "s3://fleet-inventory/prod/inventory.json";
  private static final int READERS = 5;

  private final FakeAws aws = FakeAws.start();
  private final FakeS3 s3 = FakeS3.start().forwardOthersTo(aws.endpoint());
  @TempDir Path dir;

  @AfterEach
  void stop() {
    s3.close();
    aws.close();
  }

  private Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--region", "us-east-1", "--endpoint-url", s3.endpoint().toString()));
    return Cli.run(all);
  }

  private Cli.Result publish() {
    return run("discover", "-q", "--asg", "web", "--publish", URL);
  }

  private Cli.Result apply(int reader, String... more) {
    List<String> args = new ArrayList<>(List.of("apply", "-q", "--inventory", URL, "--config-file",
        reader(reader).resolve("haproxy.cfg").toString(), "--state-dir", reader(reader).resolve("state").toString()));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private Path reader(int n) {
    return dir.resolve("reader-" + n);
  }

  private void webGroup() {
    s3.bucket("fleet-inventory");
    aws.group("web").tag("HAProxy:Service:Port", "8080");
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1").tag("Name", "web-a");
    aws.asgInstance("web", "i-0bbb", "InService", "10.0.0.2");
  }

  /** Every file under {@code root} with its bytes and modification time: what "wrote nothing" compares. */
  private static Map<String, String> snapshot(Path root) throws IOException {
    Map<String, String> files = new TreeMap<>();
    try (Stream<Path> all = Files.walk(root)) {
      for (Path p : (Iterable<Path>) all.filter(Files::isRegularFile)::iterator) {
        files.put(root.relativize(p).toString(), dev.haproxysd.model.Sha256.of(Files.readAllBytes(p)).hex() + " "
            + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return files;
  }

  @Test
  void publishThenFiveReaders_installByteIdenticalConfigs_withoutOneDiscoveryCall() throws Exception {
    webGroup();
    Cli.Result published = publish();
    assertEquals(0, published.code(), published.err());
    assertEquals("", published.out(), "with --publish and no -o, stdout stays empty");
    int discoveryCalls = aws.requests().size();
    assertEquals(2, discoveryCalls, "DescribeAutoScalingGroups + DescribeInstances, once, by the publisher");

    List<byte[]> configs = new ArrayList<>();
    for (int n = 1; n <= READERS; n++) {
      int before = s3.requests().size();
      Cli.Result applied = apply(n);
      assertEquals(0, applied.code(), applied.err());
      assertTrue(s3.requests().size() - before <= 2, "at most two S3 requests per reader run");
      assertEquals(1, s3.requests().size() - before, "no cache yet: one GET");
      configs.add(Files.readAllBytes(reader(n).resolve("haproxy.cfg")));
    }
    assertEquals(discoveryCalls, aws.requests().size(), "readers call neither Auto Scaling nor EC2");
    for (byte[] config : configs) {
      assertArrayEquals(configs.get(0), config, "every reader renders the same bytes");
    }
    String config = new String(configs.get(0), StandardCharsets.UTF_8);
    assertTrue(config.contains("10.0.0.1:8080") && config.contains("10.0.0.2:8080"), config);
    Cli.Result render = run("render", "--inventory", URL);
    assertEquals(0, render.code(), render.err());
    assertEquals(config, render.out(), "render on yet another node: the same config");
    assertEquals(discoveryCalls, aws.requests().size());
  }

  @Test
  void publishedObject_isTheDiscoverJson_withTheTimeOfDiscovery_pathStyle_signed() {
    webGroup();
    Instant before = Instant.now();
    assertEquals(0, publish().code());
    Cli.Result json = run("discover", "--asg", "web", "-o", "json");

    FakeS3.StoredObject object = s3.object("fleet-inventory", "prod/inventory.json");
    assertNotNull(object);
    assertEquals(json.out(), object.text(), "the same versioned JSON as -o json");
    assertEquals("application/json", object.contentType());
    Instant discoveredAt = Instant.parse(object.metadata().get("discovered-at"));
    assertFalse(discoveredAt.isBefore(before), discoveredAt + " vs " + before);
    assertEquals(dev.haproxysd.model.Sha256.of(object.body()).hex(), object.metadata().get("inventory-sha256"));
    assertNotNull(object.crc32(), "the SDK's trailing CRC32 arrived and matched");
    FakeS3.Request put = s3.requests().get(0);
    assertEquals("PutObject", put.api());
    assertEquals(s3.endpoint().getAuthority(), put.host(), "path-style: the bucket is not in the host name");
    assertTrue(put.authorization().startsWith("AWS4-HMAC-SHA256 Credential=" + FakeAws.ACCESS_KEY
        + "/") && put.authorization().contains("/us-east-1/s3/aws4_request"), put.authorization());
  }

  @Test
  void withRolesAndRegions_s3IsCalledInTheFirstPair_theFirstRoleInTheFirstRegion() {
    webGroup();
    String first = "arn:aws:iam::111122223333:role/fleet";
    String second = "arn:aws:iam::444455556666:role/fleet";
    List<String> identities = List.of("--role-arn", first + "," + second, "--region", "eu-west-1",
        "--region", "us-east-1", "--endpoint-url", s3.endpoint().toString());
    List<String> publish = new ArrayList<>(List.of("discover", "-q", "--asg", "web", "--publish", URL));
    publish.addAll(identities);
    List<String> render = new ArrayList<>(List.of("render", "--inventory", URL));
    render.addAll(identities);

    Cli.Result published = Cli.run(publish);
    Cli.Result rendered = Cli.run(render);

    assertEquals(0, published.code(), published.err());
    assertEquals(0, rendered.code(), rendered.err());
    assertEquals(List.of("PutObject", "GetObject"), s3.requests().stream().map(FakeS3.Request::api).toList());
    Pattern credential = Pattern.compile("Credential=([^/]+)/[^/]+/([^/]+)/s3/aws4_request");
    for (FakeS3.Request r : s3.requests()) {
      Matcher m = credential.matcher(r.authorization());
      assertTrue(m.find(), r.authorization());
      assertEquals(first, aws.roleOf(m.group(1)), "signed with the first role's assumed key: " + r);
      assertEquals("eu-west-1", m.group(2), "in the first region: " + r);
    }
  }

  @Test
  void unchangedRepublish_readersAskOnceAndWriteNothing() throws Exception {
    webGroup();
    assertEquals(0, publish().code());
    for (int n = 1; n <= READERS; n++) {
      assertEquals(0, apply(n).code());
    }
    Map<String, String> before = snapshot(dir);
    int gets = s3.requests("GetObject");

    assertEquals(0, publish().code(), "the heartbeat: same inventory, new time of discovery");
    for (int n = 1; n <= READERS; n++) {
      Cli.Result again = apply(n, "-v");
      assertEquals(0, again.code(), again.err());
      assertTrue(again.err().contains("using the cached copy"), again.err());
    }

    assertEquals(gets, s3.requests("GetObject"), "nothing downloaded: the HEAD said it is the cached content");
    assertEquals(READERS, s3.requests("HeadObject"));
    assertEquals(before, snapshot(dir), "no config, state or cache file written");
  }

  @Test
  void changedInventory_readersDownloadIt_inTwoRequests_andInstallIt() throws Exception {
    webGroup();
    assertEquals(0, publish().code());
    assertEquals(0, apply(1).code());
    aws.asgInstance("web", "i-0ccc", "InService", "10.0.0.3");
    assertEquals(0, publish().code());
    int before = s3.requests().size();

    Cli.Result applied = apply(1);

    assertEquals(0, applied.code(), applied.err());
    assertEquals(List.of("HeadObject", "GetObject"),
        s3.requests().subList(before, s3.requests().size()).stream().map(FakeS3.Request::api).toList());
    assertTrue(Files.readString(reader(1).resolve("haproxy.cfg")).contains("10.0.0.3:8080"));
  }

  @Test
  void failedDiscovery_publishesNothing_theObjectStays() {
    webGroup();
    assertEquals(0, publish().code());
    FakeS3.StoredObject published = s3.object("fleet-inventory", "prod/inventory.json");
    aws.asgInstance("web", "i-0ccc", "InService", "10.0.0.3");
    aws.inject(Fault.on("DescribeInstances").serverError());

    Cli.Result failed = publish();

    assertEquals(ExitCode.DISCOVERY.code, failed.code());
    assertEquals(1, failed.errLines().size(), failed.err());
    assertEquals(1, s3.requests("PutObject"), "no second PutObject");
    assertEquals(published, s3.object("fleet-inventory", "prod/inventory.json"));
  }

  @Test
  void staleObject_isRefused_exit22_oneLine_configAndStateUntouched_metricsShowTheAge() throws Exception {
    webGroup();
    assertEquals(0, publish().code());
    assertEquals(0, apply(1).code());
    Map<String, String> before = snapshot(reader(1));
    String body = s3.object("fleet-inventory", "prod/inventory.json").text().replace("10.0.0.2", "10.0.0.9");
    Instant longAgo = Instant.now().minus(Duration.ofMinutes(75));
    s3.put("fleet-inventory", "prod/inventory.json", body, Map.of("discovered-at", longAgo.toString()), longAgo);
    Path metrics = dir.resolve("haproxy_sd.prom");

    Cli.Result stale = apply(1, "--metrics-file", metrics.toString());

    assertEquals(ExitCode.STALE_INVENTORY.code, stale.code());
    assertEquals(22, stale.code());
    assertEquals(1, stale.errLines().size(), stale.err());
    Matcher line = Pattern.compile("haproxy-sd: the inventory " + Pattern.quote(URL) + " is 1h1[56]m old "
        + "\\(discovered at " + Pattern.quote(longAgo.toString()) + "\\), older than --max-inventory-age 10m00s: .*")
        .matcher(stale.err().strip());
    assertTrue(line.matches(), stale.err());
    Map<String, String> after = snapshot(reader(1));
    assertTrue(Files.readString(reader(1).resolve("state/last-run.json")).contains("\"exitCode\":22"),
        "recorded for status");
    after.remove("state/last-run.json");
    before.remove("state/last-run.json");
    assertEquals(before, after, "the running config stays");
    String text = Files.readString(metrics);
    Matcher age = Pattern.compile("(?m)^haproxy_sd_inventory_age_seconds (\\d+)\\.\\d{3}$").matcher(text);
    assertTrue(age.find(), text);
    assertTrue(Math.abs(Long.parseLong(age.group(1)) - 4500) < 120, text);
    assertTrue(text.contains("haproxy_sd_last_run_exit_code 22\n"), text);

    Cli.Result lenient = apply(1, "--max-inventory-age", "2h");
    assertEquals(0, lenient.code(), lenient.err());
    assertTrue(Files.readString(reader(1).resolve("haproxy.cfg")).contains("10.0.0.9:8080"));
    assertEquals(ExitCode.STALE_INVENTORY.code, run("render", "--inventory", URL).code(), "render refuses too");
    assertEquals(0, run("render", "--inventory", URL, "--max-inventory-age", "0").code(), "0: no limit");
  }

  @Test
  void objectUploadedByAnotherTool_ageFromLastModified() {
    s3.put("fleet-inventory", "prod/inventory.json", "{\"version\": 1, \"services\": []}\n", Map.of(),
        Instant.now().minus(Duration.ofHours(3)));

    Cli.Result stale = run("render", "--inventory", URL);

    assertEquals(ExitCode.STALE_INVENTORY.code, stale.code());
    assertTrue(stale.err().contains(" is 3h00m old (uploaded at ") && stale.err().contains("(S3 Last-Modified)"),
        stale.err());
  }

  @Test
  void accessDenied_oneLine_exit24_namesTheIamAction() {
    s3.bucket("fleet-inventory");
    s3.inject(Fault.on("GetObject").accessDenied());

    Cli.Result denied = run("render", "--inventory", URL);

    assertEquals(ExitCode.S3_FAILED.code, denied.code());
    assertEquals(24, denied.code());
    assertEquals(List.of("haproxy-sd: S3 GetObject " + URL + " failed: access denied (HTTP 403 AccessDenied); allow "
        + "s3:GetObject on arn:aws:s3:::fleet-inventory/prod/inventory.json for these credentials (a missing object "
        + "also answers 403 without s3:ListBucket)"), denied.errLines());
  }

  @Test
  void accessDeniedOnHead_withoutABody_stillSaysAccessDenied() {
    webGroup();
    assertEquals(0, publish().code());
    assertEquals(0, apply(1).code());
    s3.inject(Fault.on("HeadObject").accessDenied());

    Cli.Result denied = apply(1);

    assertEquals(ExitCode.S3_FAILED.code, denied.code());
    assertEquals(1, denied.errLines().size(), denied.err());
    assertTrue(denied.err().startsWith("haproxy-sd: S3 HeadObject " + URL + " failed: access denied (HTTP 403); "
        + "allow s3:GetObject on "), denied.err());
  }

  @Test
  void publishDenied_oneLine_exit24_namesPutObject() {
    webGroup();
    s3.inject(Fault.on("PutObject").accessDenied());

    Cli.Result denied = publish();

    assertEquals(ExitCode.S3_FAILED.code, denied.code());
    assertEquals(1, denied.errLines().size(), denied.err());
    assertTrue(denied.err().contains("allow s3:PutObject on arn:aws:s3:::fleet-inventory/prod/inventory.json"),
        denied.err());
  }

  @Test
  void missingObjectAndBucket_oneLine_exit24() {
    s3.bucket("fleet-inventory");
    Cli.Result missing = run("diff", "--inventory", URL, "--config-file", dir.resolve("none.cfg").toString(),
        "--state-dir", dir.resolve("state").toString());
    assertEquals(ExitCode.S3_FAILED.code, missing.code());
    assertEquals(List.of("haproxy-sd: S3 GetObject " + URL + " failed: no such object (HTTP 404 NoSuchKey); has the "
        + "publisher run yet ('haproxy-sd discover --publish " + URL + "')? Check the URL"), missing.errLines());

    Cli.Result noBucket = run("render", "--inventory", "s3://no-such-bucket/inventory.json");
    assertEquals(ExitCode.S3_FAILED.code, noBucket.code());
    assertTrue(noBucket.err().contains("no such bucket (HTTP 404 NoSuchBucket)"), noBucket.err());
    assertEquals(1, noBucket.errLines().size());
  }

  @Test
  void serverError_isRetried_thenOneLine_exit24() {
    webGroup();
    assertEquals(0, publish().code());
    s3.inject(Fault.on("GetObject").times(1).serverError());
    assertEquals(0, run("render", "--inventory", URL).code(), "one 500, then the retry succeeds");
    assertEquals(2, s3.requests("GetObject"));

    s3.inject(Fault.on("GetObject").serverError());
    Cli.Result failed = run("render", "--inventory", URL);
    assertEquals(ExitCode.S3_FAILED.code, failed.code());
    assertEquals(1, failed.errLines().size(), failed.err());
    assertTrue(failed.err().contains("AWS server error after 3 attempts (HTTP 500 InternalFailure"), failed.err());
  }

  @Test
  void malformedUrls_areUsageErrors() {
    for (String[] args : List.of(
        new String[] {"render", "--inventory", "s3://fleet-inventory"},
        new String[] {"render", "--inventory", "s3://Fleet_Inventory/key"},
        new String[] {"render", "--inventory", "s3:/fleet-inventory/key"},
        new String[] {"apply", "--inventory", "s3://fleet-inventory/"},
        new String[] {"discover", "--asg", "web", "--publish", "/tmp/inventory.json"},
        new String[] {"discover", "--asg", "web", "--publish", "s3://ab/key"})) {
      Cli.Result r = run(args);
      assertEquals(ExitCode.USAGE.code, r.code(), String.join(" ", args) + ": " + r.err());
      assertEquals(1, r.errLines().size(), r.err());
    }
    assertEquals(0, s3.requests().size() + aws.requests().size(), "a usage error sends nothing");
  }

  @Test
  void damagedCache_isAWarning_andTheObjectIsDownloadedAgain() throws Exception {
    webGroup();
    assertEquals(0, publish().code());
    assertEquals(0, apply(1).code());
    Path cache = reader(1).resolve("state").resolve("s3-inventory.cache");
    assertTrue(Files.exists(cache));
    Files.write(cache, "garbage".getBytes(StandardCharsets.UTF_8));

    Cli.Result again = apply(1);

    assertEquals(0, again.code(), again.err());
    assertTrue(again.err().contains("ignoring " + cache + ": it is damaged"), again.err());
    assertEquals(2, s3.requests("GetObject"));
  }

  @Test
  void dryRun_writesNoCache() {
    webGroup();
    assertEquals(0, publish().code());

    Cli.Result dry = apply(1, "--dry-run");

    assertEquals(0, dry.code(), dry.err());
    assertFalse(Files.exists(reader(1).resolve("state").resolve("s3-inventory.cache")));
  }
}
