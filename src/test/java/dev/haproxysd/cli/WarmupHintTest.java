package dev.haproxysd.cli;

import static dev.haproxysd.aws.Warmup.Service.AUTOSCALING;
import static dev.haproxysd.aws.Warmup.Service.EC2;
import static dev.haproxysd.aws.Warmup.Service.S3;
import static dev.haproxysd.aws.Warmup.Service.SERVICEDISCOVERY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.aws.Warmup.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class WarmupHintTest {
  private static final Map<String, String> NO_FILE = Map.of("HAPROXY_SD_CONFIG", "/dev/null");

  @TempDir Path dir;

  private static Set<Service> services(Map<String, String> env, String... args) {
    return WarmupHint.services(args, ConfigDefaults.of(args, env, CommandTree.configKeys()));
  }

  @Test
  void theCommandLineNamesTheServices() {
    assertEquals(Set.of(AUTOSCALING, EC2), services(NO_FILE, "apply", "--asg-tag", "env=web"));
    assertEquals(Set.of(AUTOSCALING, EC2), services(NO_FILE, "discover", "--asg=web"));
    assertEquals(Set.of(EC2), services(NO_FILE, "render", "--ec2-tag", "role=web"));
    assertEquals(Set.of(SERVICEDISCOVERY), services(NO_FILE, "diff", "--cloudmap-namespace", "prod"));
    assertEquals(Set.of(S3), services(NO_FILE, "apply", "--inventory", "s3://fleet/inventory.json"));
    assertEquals(Set.of(AUTOSCALING, EC2, S3),
        services(NO_FILE, "discover", "--asg", "web", "--publish", "s3://fleet/inventory.json"));
  }

  @Test
  void aRunWithoutAwsWarmsNothing() {
    assertEquals(Set.of(), services(NO_FILE, "render", "--inventory", "inventory.json"));
    assertEquals(Set.of(), services(NO_FILE, "render", "--inventory", "-"));
    assertEquals(Set.of(), services(NO_FILE));
    // after "--" nothing is an option
    assertEquals(Set.of(), services(NO_FILE, "render", "--", "--asg", "web"));
  }

  @Test
  void theEnvironmentAndTheConfigFileCount_scopedKeysToo() throws IOException {
    assertEquals(Set.of(SERVICEDISCOVERY), services(Map.of("HAPROXY_SD_CONFIG", "/dev/null",
        "HAPROXY_SD_CLOUDMAP_NAMESPACE", "prod"), "apply"));
    Path file = dir.resolve("haproxy-sd.conf");
    Files.writeString(file, "apply.asg-tag = env=web\ninventory = s3://fleet/inventory.json\n");
    assertEquals(Set.of(AUTOSCALING, EC2, S3), services(Map.of("HAPROXY_SD_CONFIG", file.toString()), "apply"));
    // the command line wins over the file, as it does for the run
    assertEquals(Set.of(AUTOSCALING, EC2),
        services(Map.of("HAPROXY_SD_CONFIG", file.toString()), "apply", "--inventory", "local.json"));
  }

  @Test
  void aFileThatDoesNotReadIsNoHint_theRunReportsIt() throws IOException {
    Path file = dir.resolve("broken.conf");
    Files.writeString(file, "asg = web\nno-such-key = 1\n");
    assertEquals(Set.of(), services(Map.of("HAPROXY_SD_CONFIG", file.toString()), "apply"));
  }

  @Test
  void everyHintedOptionIsAnOptionOfTheTool() {
    CommandLine model = GenerateDocs.model();
    for (String option : WarmupHint.OPTIONS.keySet()) {
      assertTrue(model.getSubcommands().values().stream()
          .anyMatch(c -> c.getCommandSpec().findOption(option) != null), option);
    }
  }
}
