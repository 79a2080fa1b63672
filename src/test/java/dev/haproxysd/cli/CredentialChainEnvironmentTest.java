package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.FakeCredentialEndpoints;
import dev.haproxysd.testing.SigV4;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The credential kinds the SDK's own providers serve, each set up as operators do and proven end to end: a real
 * {@code discover} in a child JVM whose environment is built here from nothing (its own HOME and AWS config file,
 * no AWS_* or HAPROXY_SD_* of this machine), and every Auto Scaling and EC2 call signed with the key and session
 * token that provider handed out. SSO, the container endpoint and IMDS are {@link FakeCredentialEndpoints} on
 * 127.0.0.1; nothing leaves this host.
 */
class CredentialChainEnvironmentTest {
  private static final String SSO_SESSION = "corp";
  private static final String SSO_ACCESS_TOKEN = "aoaAAAAFakePortalAccessToken";
  private static final String PROCESS_KEY = "ASIAFAKEPROCESS0001";

  private final FakeAws aws = FakeAws.start();
  private final FakeCredentialEndpoints endpoints = FakeCredentialEndpoints.start();
  @TempDir Path dir;
  private Path home;

  @BeforeEach
  void instances() throws Exception {
    aws.asgInstance("web", "i-0aaa", "InService", "10.0.0.1");
    home = Files.createDirectories(dir.resolve("home"));
  }

  @AfterEach
  void stop() {
    endpoints.close();
    aws.close();
  }

  /** {@code aws configure sso} with an sso-session, then {@code aws sso login}: the portal token in the cache. */
  @ParameterizedTest
  @ValueSource(strings = {"--profile", "AWS_PROFILE"})
  void ssoSessionProfileWithACachedToken_signsWithTheRoleCredentialsOfThePortal(String namedBy) throws Exception {
    writeSsoConfig();
    cacheSsoLogin(Instant.now().plus(8, ChronoUnit.HOURS));
    endpoints.ssoRole(SSO_ACCESS_TOKEN, "111122223333", "HaproxySdReader");

    Map<String, String> env = Map.of("AWS_ENDPOINT_URL_SSO", endpoints.endpoint().toString(),
        "AWS_EC2_METADATA_DISABLED", "true");
    String out = discover(namedBy.equals("AWS_PROFILE") ? with(env, "AWS_PROFILE", "sso-reader") : env,
        namedBy.equals("--profile") ? List.of("--profile", "sso-reader") : List.of());

    assertTrue(out.contains("i-0aaa"), out);
    List<FakeCredentialEndpoints.Request> portal = endpoints.requests();
    assertEquals(1, portal.size(), portal.toString());
    assertEquals("GET", portal.get(0).method());
    assertEquals("/federation/credentials", portal.get(0).path());
    assertEquals(Map.of("account_id", "111122223333", "role_name", "HaproxySdReader"), portal.get(0).query());
    assertEquals(SSO_ACCESS_TOKEN, portal.get(0).ssoBearerToken());
    assertSignedWith(FakeCredentialEndpoints.SSO_KEY, FakeCredentialEndpoints.sessionTokenOf(
        FakeCredentialEndpoints.SSO_KEY));
  }

  /**
   * Never logged in, the login expired, or the portal no longer knows the token: one line that says to log in, and
   * no fall-through to the instance role the host also has (the operator chose the profile).
   */
  @ParameterizedTest
  @ValueSource(strings = {"never logged in", "login expired", "token revoked"})
  void ssoProfileWithoutAValidLogin_failsWithOneLineSayingToLogIn(String state) throws Exception {
    writeSsoConfig();
    if (!state.equals("never logged in")) {
      cacheSsoLogin(state.equals("login expired") ? Instant.now().minus(1, ChronoUnit.HOURS)
          : Instant.now().plus(8, ChronoUnit.HOURS));
    }
    endpoints.ssoRole("another-token", "111122223333", "HaproxySdReader");

    Cli.Result run = run(Map.of("AWS_PROFILE", "sso-reader",
        "AWS_ENDPOINT_URL_SSO", endpoints.endpoint().toString(),
        "AWS_ENDPOINT_URL_SSO_OIDC", endpoints.endpoint().toString(),
        "AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoints.endpoint().toString()), List.of());

    assertEquals(ExitCode.DISCOVERY.code, run.code(), run.err());
    assertTrue(run.oneErrorLine(), run.err());
    assertTrue(run.err().contains("AWS profile 'sso-reader': no valid IAM Identity Center (SSO) login (")
        && run.err().endsWith("; run 'aws sso login --profile sso-reader' as the user haproxy-sd runs as\n"),
        run.err());
    assertEquals("", run.out());
    assertEquals(List.of(), aws.requests());
    assertTrue(endpoints.requests().stream().noneMatch(r -> r.path().startsWith("/latest/")),
        endpoints.requests().toString());
  }

  @Test
  void ssoRoleTheUserIsNotAssigned_failsWithOneLineNamingRoleAndAccount() throws Exception {
    writeSsoConfig();
    cacheSsoLogin(Instant.now().plus(8, ChronoUnit.HOURS));
    endpoints.ssoRole(SSO_ACCESS_TOKEN, "111122223333", "SomeOtherRole");

    Cli.Result run = run(Map.of("AWS_ENDPOINT_URL_SSO", endpoints.endpoint().toString(),
        "AWS_EC2_METADATA_DISABLED", "true"), List.of("--profile", "sso-reader"));

    assertEquals(ExitCode.DISCOVERY.code, run.code(), run.err());
    assertEquals(List.of("haproxy-sd: AWS DescribeAutoScalingGroups (groups 'web') failed: AWS profile 'sso-reader': "
        + "IAM Identity Center refused role 'HaproxySdReader' in account 111122223333 (HTTP 403 ForbiddenException: "
        + "No access); check sso_account_id, sso_role_name and the user's assignments"), run.errLines());
  }

  /** A credential helper (aws-vault, a vault agent, a company tool) named by credential_process. */
  @ParameterizedTest
  @ValueSource(strings = {"--profile", "AWS_PROFILE"})
  void credentialProcessProfile_signsWithWhatTheProcessPrinted_andRunsItOncePerRun(String namedBy)
      throws Exception {
    Path runs = dir.resolve("helper-runs");
    Path helper = dir.resolve("credential-helper");
    String expiration = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString();
    Files.writeString(helper, """
        #!/bin/sh
        echo "$*" >> '%s'
        cat <<'EOF'
        {"Version": 1, "AccessKeyId": "%s", "SecretAccessKey": "fake-secret-of-process",
         "SessionToken": "session-token-of-process", "Expiration": "%s"}
        EOF
        """.formatted(runs, PROCESS_KEY, expiration));
    SigV4.issued(PROCESS_KEY, "fake-secret-of-process", "session-token-of-process");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
    writeConfig("""
        [profile tool]
        credential_process = %s --account 111122223333
        region = us-east-1
        """.formatted(helper));

    Map<String, String> env = Map.of("AWS_EC2_METADATA_DISABLED", "true");
    String out = discover(namedBy.equals("AWS_PROFILE") ? with(env, "AWS_PROFILE", "tool") : env,
        namedBy.equals("--profile") ? List.of("--profile", "tool") : List.of());

    assertTrue(out.contains("i-0aaa"), out);
    assertEquals(List.of("--account 111122223333"), Files.readAllLines(runs));
    assertSignedWith(PROCESS_KEY, "session-token-of-process");
  }

  @Test
  void failingCredentialProcess_failsWithOneLineCarryingWhatItSaid() throws Exception {
    Path helper = dir.resolve("credential-helper");
    Files.writeString(helper, "#!/bin/sh\necho 'vault is sealed' >&2\nexit 3\n");
    Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwx------"));
    writeConfig("[profile tool]\ncredential_process = " + helper + "\n");

    Cli.Result run = run(Map.of("AWS_EC2_METADATA_DISABLED", "true"), List.of("--profile", "tool"));

    assertEquals(ExitCode.DISCOVERY.code, run.code(), run.err());
    assertTrue(run.oneErrorLine(), run.err());
    assertTrue(run.err().contains("AWS profile 'tool': credential_process failed (")
        && run.err().contains("exit value (3)") && run.err().contains("vault is sealed")
        && run.err().endsWith("; run the command by hand, as the user haproxy-sd runs as, to see why\n"), run.err());
    assertEquals(List.of(), aws.requests());
  }

  /**
   * ECS tasks get the full URI and a token; EKS Pod Identity the full URI and a token file the kubelet rotates.
   * The endpoint answers only a request carrying that token.
   */
  @ParameterizedTest
  @ValueSource(strings = {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"})
  void containerCredentialsEndpoint_signsWithTheKeysItServes(String tokenBy) throws Exception {
    String token = "fake-pod-identity-token";
    endpoints.containerAuthorization(token);
    String tokenValue = tokenBy.endsWith("_FILE")
        ? Files.writeString(dir.resolve("eks-pod-identity-token"), token).toString() : token;
    writeConfig("");

    String out = discover(Map.of(
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", endpoints.endpoint() + FakeCredentialEndpoints.CONTAINER_PATH,
        tokenBy, tokenValue,
        "AWS_EC2_METADATA_DISABLED", "true"), List.of());

    assertTrue(out.contains("i-0aaa"), out);
    List<FakeCredentialEndpoints.Request> served = endpoints.requests();
    assertEquals(1, served.size(), served.toString());
    assertEquals(FakeCredentialEndpoints.CONTAINER_PATH, served.get(0).path());
    assertEquals(token, served.get(0).authorization());
    assertSignedWith(FakeCredentialEndpoints.CONTAINER_KEY, FakeCredentialEndpoints.sessionTokenOf(
        FakeCredentialEndpoints.CONTAINER_KEY));
  }

  /** An instance role over IMDSv2 only (HttpTokens=required): every metadata GET carries the session token. */
  @Test
  void instanceRoleOverImdsV2_signsWithTheRoleKeys_everyMetadataReadCarryingTheSessionToken() throws Exception {
    writeConfig("");

    String out = discover(Map.of("AWS_EC2_METADATA_SERVICE_ENDPOINT", endpoints.endpoint().toString()), List.of());

    assertTrue(out.contains("i-0aaa"), out);
    List<FakeCredentialEndpoints.Request> imds = endpoints.requests();
    assertEquals("PUT /latest/api/token", imds.get(0).method() + " " + imds.get(0).path());
    List<FakeCredentialEndpoints.Request> reads = imds.subList(1, imds.size());
    assertEquals(List.of("/latest/meta-data/iam/security-credentials/",
            "/latest/meta-data/iam/security-credentials/" + FakeCredentialEndpoints.INSTANCE_ROLE),
        reads.stream().map(FakeCredentialEndpoints.Request::path).toList());
    assertTrue(reads.stream().allMatch(r -> r.method().equals("GET")
        && FakeCredentialEndpoints.imdsToken().equals(r.imdsToken())), imds.toString());
    assertSignedWith(FakeCredentialEndpoints.INSTANCE_KEY, FakeCredentialEndpoints.sessionTokenOf(
        FakeCredentialEndpoints.INSTANCE_KEY));
  }

  /** {@link #run}, which must succeed; its stdout. */
  private String discover(Map<String, String> env, List<String> options) throws Exception {
    Cli.Result run = run(env, options);
    assertEquals(0, run.code(), run.err());
    return run.out();
  }

  /** Runs {@code discover --asg web} in a child JVM with {@code env} on top of an environment built from nothing. */
  private Cli.Result run(Map<String, String> env, List<String> options) throws Exception {
    List<String> args = new ArrayList<>(List.of("discover", "--asg", "web", "--region", "us-east-1",
        "--endpoint-url", aws.endpoint().toString()));
    args.addAll(options);
    ProcessBuilder child = Cli.javaProcess(Main.class.getName(), args);
    Map<String, String> childEnv = child.environment();
    childEnv.clear();
    childEnv.put("PATH", "/usr/bin:/bin");
    childEnv.put("HOME", home.toString());
    childEnv.put("HAPROXY_SD_CONFIG", "/dev/null");
    childEnv.put("HAPROXY_SD_STATE_DIR", Files.createDirectories(dir.resolve("state")).toString());
    childEnv.put("AWS_CONFIG_FILE", dir.resolve("config").toString());
    childEnv.put("AWS_SHARED_CREDENTIALS_FILE", dir.resolve("no-credentials").toString());
    childEnv.putAll(env);
    child.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());

    Process process = child.start();
    assertTrue(process.waitFor(120, TimeUnit.SECONDS), "the child run did not end");

    return new Cli.Result(process.exitValue(), Files.readString(dir.resolve("out"), StandardCharsets.UTF_8),
        Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
  }

  /** The run's Auto Scaling and EC2 calls, each signed with {@code accessKey} and carrying its session token. */
  private void assertSignedWith(String accessKey, String sessionToken) {
    List<FakeAws.Request> calls = aws.requests();
    assertEquals(List.of("DescribeAutoScalingGroups", "DescribeInstances"),
        calls.stream().map(FakeAws.Request::api).toList());
    assertTrue(calls.stream().allMatch(r -> accessKey.equals(r.accessKey())
        && sessionToken.equals(r.securityToken())), calls.toString());
  }

  /** {@code aws configure sso}: profile sso-reader on the sso-session corp. */
  private void writeSsoConfig() throws Exception {
    writeConfig("""
        [profile sso-reader]
        sso_session = corp
        sso_account_id = 111122223333
        sso_role_name = HaproxySdReader
        region = us-east-1

        [sso-session corp]
        sso_start_url = https://corp.awsapps.com/start
        sso_region = eu-west-1
        sso_registration_scopes = sso:account:access
        """);
  }

  /** {@code aws sso login}: the portal token, as the CLI caches it (named by the SHA-1 of the session name). */
  private void cacheSsoLogin(Instant expiresAt) throws Exception {
    Path cache = Files.createDirectories(home.resolve(".aws/sso/cache"));
    String expires = expiresAt.truncatedTo(ChronoUnit.SECONDS).toString();
    String registrationExpires = Instant.now().plus(90, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString();
    Files.writeString(cache.resolve(sha1(SSO_SESSION) + ".json"), """
        {"startUrl": "https://corp.awsapps.com/start", "region": "eu-west-1", "accessToken": "%s",
         "expiresAt": "%s", "clientId": "fake-client-id", "clientSecret": "fake-client-secret",
         "registrationExpiresAt": "%s", "refreshToken": "fake-refresh-token"}
        """.formatted(SSO_ACCESS_TOKEN, expires, registrationExpires));
  }

  private void writeConfig(String config) throws Exception {
    Files.writeString(dir.resolve("config"), config);
  }

  private static Map<String, String> with(Map<String, String> env, String name, String value) {
    Map<String, String> all = new HashMap<>(env);
    all.put(name, value);
    return all;
  }

  private static String sha1(String text) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
  }
}
