package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Web identity as EKS (IRSA) and GitHub Actions (OIDC) set it up: AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE in
 * the environment, nothing else. The environment is the child process's own, built here from nothing: the
 * operator's AWS_*, ~/.aws and this JVM's test keys never reach it.
 */
class WebIdentityEnvironmentTest {
  private static final String ROLE = "arn:aws:iam::222233334444:role/eks-haproxy-sd";

  private final FakeAws aws = FakeAws.start();
  @TempDir Path dir;

  @AfterEach
  void stop() {
    aws.close();
  }

  @Test
  void roleArnAndTokenFileInTheEnvironment_signEveryCallWithTheIssuedKey() throws Exception {
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1");
    Path token = Files.writeString(dir.resolve("token"), "eyJ.projected-service-account-token.sig");
    aws.webIdentityToken("eyJ.projected-service-account-token.sig");
    ProcessBuilder child = Cli.javaProcess(Main.class.getName(), List.of("discover", "--asg", "web", "--region",
        "us-east-1", "--endpoint-url", aws.endpoint().toString()));
    Map<String, String> env = child.environment();
    env.keySet().removeIf(k -> k.startsWith("AWS_") || k.startsWith("HAPROXY_SD_") || k.equals("HOME"));
    env.put("HOME", dir.toString());
    env.put("HAPROXY_SD_CONFIG", "/dev/null");
    env.put("AWS_CONFIG_FILE", dir.resolve("no-config").toString());
    env.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    env.put("AWS_EC2_METADATA_DISABLED", "true");
    env.put("AWS_ROLE_ARN", ROLE);
    env.put("AWS_WEB_IDENTITY_TOKEN_FILE", token.toString());
    child.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());

    Process process = child.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child run did not end");

    String err = Files.readString(dir.resolve("err"), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), err);
    assertTrue(Files.readString(dir.resolve("out")).contains("i-0aaa"));
    FakeAws.Request assume = aws.requests().get(0);
    assertEquals("AssumeRoleWithWebIdentity", assume.api());
    assertNull(assume.accessKey(), "AssumeRoleWithWebIdentity is unsigned");
    assertEquals(ROLE, assume.form().get("RoleArn"));
    List<FakeAws.Request> calls = aws.requests().subList(1, aws.requests().size());
    assertEquals(List.of("DescribeAutoScalingGroups", "DescribeInstances"),
        calls.stream().map(FakeAws.Request::api).toList());
    assertTrue(calls.stream().allMatch(r -> ROLE.equals(aws.roleOf(r.accessKey()))), aws.requests().toString());
  }
}
