package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.FakeS3;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The S3 module costs start-up time (hundreds of classes) that a run without an {@code s3://} URL must not pay, and
 * the SDK as a whole (thousands, see aws/Warmup) one without AWS: a separate JVM logs every class it loads.
 */
class S3LoadedOnlyWhenUsedTest {
  private static final String S3_PACKAGE = " software.amazon.awssdk.services.s3.";
  private static final String INVENTORY = Path.of("packaging/examples/inventory.json").toAbsolutePath().toString();

  @TempDir Path dir;

  private List<String> classesLoadedBy(String... args) throws Exception {
    Path log = dir.resolve("classes-" + System.nanoTime() + ".log");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xlog:class+load=info:file=" + log, "-Daws.accessKeyId=AKIDHAPROXYSDTEST",
        "-Daws.secretAccessKey=fake-secret-for-tests", "-Daws.disableEc2Metadata=true",
        "-Daws.configFile=" + dir.resolve("no-aws-config"), "-Daws.sharedCredentialsFile=" + dir.resolve("none"),
        "-cp", System.getProperty("java.class.path"), Main.class.getName()));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", "/dev/null", "--state-dir", dir.resolve("state").toString()));
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .redirectError(dir.resolve("stderr").toFile());
    // hermetic: the operator's AWS and haproxy-sd settings must not reach the child
    builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("HAPROXY_SD_"));
    Process p = builder.start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the run hung");
    assertEquals(0, p.exitValue(), Files.readString(dir.resolve("stderr")));
    return Files.readAllLines(log);
  }

  @Test
  void aRunWithoutAws_loadsNoSdkClassAtAll_soNothingWarmsUpForIt() throws Exception {
    List<String> file = classesLoadedBy("render", "--inventory", INVENTORY);
    assertEquals(List.of(), file.stream().filter(l -> l.contains(" software.amazon.awssdk.")).toList());
  }

  @Test
  void aRunWithoutS3Url_loadsNoS3Class_andOneWithIt_does() throws Exception {
    List<String> file = classesLoadedBy("render", "--inventory", INVENTORY);
    assertEquals(List.of(), file.stream().filter(l -> l.contains(S3_PACKAGE)).toList());

    try (FakeS3 s3 = FakeS3.start()) {
      s3.put("fleet-inventory", "inventory.json", Files.readString(Path.of(INVENTORY)), Map.of(), Instant.now());
      List<String> fromS3 = classesLoadedBy("render", "--inventory", "s3://fleet-inventory/inventory.json",
          "--region", "us-east-1", "--endpoint-url", s3.endpoint().toString());
      assertTrue(fromS3.stream().anyMatch(l -> l.contains(S3_PACKAGE + "S3Client ")), "the control: the log works");
    }
  }
}
