package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --ec2-tag} and {@code --ec2-filter} through {@link Main#run}, against a fake EC2 and the real haproxy. */
class Ec2TagCommandsTest {
  private static final String NAME = "HAProxy:Service:Name";
  private static final String HOSTILE =
      "x\n    http-request return status 200 content-type text/plain string \"${SECRET}\"";

  @AutoClose private final FakeAws aws = FakeAws.start();
  @TempDir Path dir;

  private Cli.Result run(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--region", "us-east-1", "--endpoint-url", aws.endpoint().toString()));
    return Cli.run(all);
  }

  /** Two plain EC2 services and an Auto Scaling group whose instances also carry the name tag. */
  private void fleet() {
    aws.instance("i-0a01").privateIp("10.0.0.1").tag("env", "prod").tag(NAME, "web");
    aws.instance("i-0a02").privateIp("10.0.0.2").tag("env", "prod").tag(NAME, "web")
        .tag("HAProxy:Instance:Port", "8081");
    aws.instance("i-0a03").privateIp("10.0.0.3").tag("env", "prod").tag(NAME, "api")
        .tag("HAProxy:Service:Port", "9000");
    aws.instance("i-0a04").privateIp("10.0.0.4").tag("env", "prod").tag(NAME, "api").state("stopped");
    aws.group("shop").tag(NAME, "shop");
    aws.asgInstance("shop", "i-0b01", "InService", "10.0.1.1").tag(NAME, "shop").tag("env", "prod");
  }

  @Test
  void discoverRenderValidateDiffAndApply_acceptEc2Tags_besideAnAsg() throws Exception {
    fleet();
    List<String> source = List.of("--ec2-tag", "env=prod", "--ec2-tag", NAME, "--asg", "shop");

    Cli.Result discover = runWith(source, "discover", "-o", "json");
    assertEquals(0, discover.code(), discover.err());
    assertEquals("", discover.err());
    Inventory inventory = InventoryJson.read(new StringReader(discover.out()), "stdout");
    assertEquals(List.of("api 10.0.0.3:9000", "shop 10.0.1.1:80", "web 10.0.0.1:80", "web 10.0.0.2:8081"),
        inventory.services().stream().flatMap(s -> s.servers().stream().map(v -> s.name() + " " + v.endpoint()))
            .toList(), "the group's instance is one server of 'shop', though both selections reach it");

    Cli.Result render = runWith(source, "render");
    assertEquals(0, render.code(), render.err());
    assertTrue(render.out().contains("\nbackend web\n"), render.out());
    assertTrue(render.out().contains("10.0.0.2:8081"), render.out());

    Cli.Result validate = runWith(source, "validate");
    assertEquals(0, validate.code(), validate.err());
    assertTrue(validate.err().contains("the rendered config: valid"), validate.err());

    Path config = dir.resolve("haproxy.cfg");
    Cli.Result diff = runWith(source, "diff", "-c", config.toString(), "--state-dir",
        dir.resolve("state").toString());
    assertEquals(1, diff.code(), diff.err());
    assertTrue(diff.out().contains("+backend api"), diff.out());

    Cli.Result apply = runWith(source, "apply", "--dry-run", "-c", config.toString(), "--state-dir",
        dir.resolve("state").toString());
    assertEquals(0, apply.code(), apply.err());
    assertFalse(Files.exists(config), "a dry run installs nothing");
  }

  @Test
  void hostileTagValues_neverAddOrChangeADirective_andTheConfigPassesHaproxyCheck() {
    aws.instance("i-0a01").privateIp("10.0.0.1").tag("env", "prod").tag(NAME, "web");
    aws.instance("i-0a02").privateIp("10.0.0.2").tag("env", "prod").tag(NAME, "api");
    Cli.Result clean = run("render", "--ec2-tag", "env=prod");
    assertEquals(0, clean.code(), clean.err());

    aws.instance("i-0a01").tag("Name", HOSTILE).tag("Owner", HOSTILE);
    aws.instance("i-0a03").privateIp("10.0.0.3").tag("env", "prod").tag(NAME, "web\n    server evil 6.6.6.6:80");
    aws.instance("i-0a04").privateIp("10.0.0.4").tag("env", "prod").tag(NAME, "web")
        .tag("HAProxy:Instance:Port", "80 backup\n    server evil 6.6.6.6:80");
    aws.instance("i-0a05").privateIp("10.0.0.5").tag("env", "prod").tag(NAME, "web")
        .tag("HAProxy:Service:Port", "80\nbind :22");
    aws.instance("i-0a06").privateIp("10.0.0.6").tag("env", "prod").tag(NAME, "web").tag("srv_weight", "1 backup");
    aws.instance("i-0a07").privateIp("10.0.0.7").tag("env", "prod").tag(NAME, "web")
        .tag("HAProxy:Instance:State", "ready\n    server evil 6.6.6.6:80");
    Cli.Result hostile = run("render", "--ec2-tag", "env=prod");

    assertEquals(0, hostile.code(), hostile.err());
    assertEquals(clean.out(), hostile.out(), "the same config, byte for byte");
    List<String> warnings = hostile.errLines();
    assertEquals(5, warnings.size(), hostile.err());
    for (int i = 0; i < 5; i++) {
      assertTrue(warnings.get(i).contains("'i-0a0" + (i + 3) + "' skipped: "), warnings.get(i));
    }
    Cli.Result validate = run("validate", "--ec2-tag", "env=prod");
    assertEquals(0, validate.code(), validate.err());
  }

  @Test
  void aHostileTagEveryInstanceOfAServiceShares_andTheTemplateReads_stopsTheRender() {
    String host = "a.example.com\n    http-request redirect location https://evil";
    aws.instance("i-0a01").privateIp("10.0.0.1").tag(NAME, "web").tag("haproxy-sd:host", host);
    aws.instance("i-0a02").privateIp("10.0.0.2").tag(NAME, "web").tag("haproxy-sd:host", host);

    Cli.Result run = run("render", "--ec2-tag", NAME);

    assertEquals(12, run.code(), run.err());
    assertEquals("", run.out());
    assertEquals(1, run.errLines().size(), run.err());
    assertTrue(run.err().contains("haproxy-sd:host") && run.err().contains("unsafe value"), run.err());
  }

  @Test
  void aServiceTagSharedByEveryInstance_routesByHost() {
    aws.instance("i-0a01").privateIp("10.0.0.1").tag(NAME, "web").tag("haproxy-sd:host", "web.example.com");
    aws.instance("i-0a02").privateIp("10.0.0.2").tag(NAME, "web").tag("haproxy-sd:host", "web.example.com");

    Cli.Result run = run("render", "--ec2-tag", NAME);

    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("use_backend web if { hdr(host),field(1,:) -i web.example.com }"), run.out());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', value = {
    "--ec2-tag    | ''",
    "--ec2-tag    | =prod",
    "--ec2-tag    | env=",
    "--ec2-tag    | env=prod,,team",
    "--ec2-filter | vpc-id",
    "--ec2-filter | =vpc-1",
    "--ec2-filter | Vpc Id=vpc-1",
    "--ec2-filter | tag:=x",
    "--ec2-filter | vpc-id=vpc-1,,vpc-2",
    "--ec2-filter | vpc-id=",
    "--ec2-filter | instance-state-name=stopped",
  })
  void malformedSelections_areUsageErrorsNamingTheOption(String option, String value) {
    Cli.Result run = run("discover", option, value);

    assertEquals(2, run.code(), run.err());
    assertEquals("", run.out());
    assertTrue(run.errLines().get(0).contains(option), run.err());
    assertEquals(0, aws.requests().size(), "nothing is asked of AWS");
  }

  @ParameterizedTest
  @ValueSource(strings = {"discover", "render", "diff", "validate", "apply"})
  void everyCommandThatDiscovers_documentsTheOptions(String command) {
    Cli.Result help = Cli.run(command, "--help");

    assertEquals(0, help.code());
    assertTrue(help.out().contains("--ec2-tag=KEY=VALUE|KEY"), help.out());
    assertTrue(help.out().contains("--ec2-filter=NAME=V1,V2"), help.out());
  }

  @Test
  void theConfigFileListsTagsWithCommasAndFiltersWithSemicolons() throws Exception {
    aws.instance("i-0a01").privateIp("10.0.0.1").tag("env", "prod").tag(NAME, "web").vpc("vpc-1").type("t3.small");
    aws.instance("i-0a02").privateIp("10.0.0.2").tag("env", "prod").tag(NAME, "web").vpc("vpc-1").type("m5.large");
    aws.instance("i-0a03").privateIp("10.0.0.3").tag("env", "prod").vpc("vpc-1").type("t3.small");
    Path conf = Files.writeString(dir.resolve("haproxy-sd.conf"), "ec2-tag = env=prod," + NAME + "\n"
        + "ec2-filter = vpc-id=vpc-1;instance-type=t3.small,t3.medium\n");

    Cli.Result run = run("--config=" + conf, "discover");

    assertEquals(0, run.code(), run.err());
    assertEquals("", run.err(), "the name tag is a filter: the untagged instance is not even returned");
    assertTrue(run.out().contains("web      i-0a01  10.0.0.1:80"), run.out());
    assertFalse(run.out().contains("i-0a02"), run.out());
  }

  /** {@code command} (a subcommand and its own options) followed by {@code source}. */
  private Cli.Result runWith(List<String> source, String... command) {
    List<String> all = new ArrayList<>(List.of(command));
    all.addAll(source);
    return run(all.toArray(String[]::new));
  }
}
