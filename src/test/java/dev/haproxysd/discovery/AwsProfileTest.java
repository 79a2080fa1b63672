package dev.haproxysd.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.aws.AwsEnvironment;
import dev.haproxysd.aws.AwsSettings;
import dev.haproxysd.model.Server;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.RecordingLog;
import dev.haproxysd.testing.SigV4;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * Profiles from a config file this test writes, handed in through {@link AwsEnvironment} (never this machine's
 * ~/.aws, AWS_* or system properties): keys and region, a role with source_profile, web identity from a token
 * file. The fake endpoint's STS issues fresh keys; every discovery call must be signed with them.
 */
class AwsProfileTest {
  private static final String ROLE = "arn:aws:iam::222233334444:role/haproxy-sd";

  private final FakeAws aws = FakeAws.start();
  @TempDir Path dir;

  /** The long-term keys the profiles below hold: the fake checks each request's signature with their secret. */
  @BeforeAll
  static void profileKeys() {
    for (String key : List.of("AKIDFROMPROFILE", "AKIDBASE", "AKIDLOCAL")) {
      SigV4.issued(key, "fake", null);
    }
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  private AwsEnvironment profiles(String config) throws Exception {
    Path file = Files.writeString(dir.resolve("config"), config);
    return new AwsEnvironment(Map.of(), () -> ProfileFile.builder().content(file)
        .type(ProfileFile.Type.CONFIGURATION).build());
  }

  private AwsQuery query(String region, String profile) {
    return AwsQueries.withConnection(AwsQueries.groups(aws, "web"), AwsSettings.builder()
        .region(region).profile(profile).endpoint(aws.endpoint())
        .callTimeout(Duration.ofSeconds(10)).attemptTimeout(Duration.ofSeconds(5)).build());
  }

  private List<FakeAws.Request> discoveryCalls() {
    return aws.requests().stream().filter(r -> !r.api().startsWith("AssumeRole")).toList();
  }

  @Test
  void aProfile_givesTheKeysAndTheRegion() throws Exception {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    AwsEnvironment env = profiles("[profile ops]\nregion = eu-central-1\naws_access_key_id = AKIDFROMPROFILE\n"
        + "aws_secret_access_key = fake\n");

    assertEquals(1, Source.aws(query(null, "ops"), env, new RecordingLog()).discover().serverCount());

    assertTrue(aws.requests().stream().allMatch(r -> "AKIDFROMPROFILE".equals(r.accessKey())
        && "eu-central-1".equals(r.region())), aws.requests().toString());
  }

  @Test
  void aRoleProfile_assumesTheRoleWithTheSourceProfilesKeys_andSignsWithTheAssumedOnes() throws Exception {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    AwsEnvironment env = profiles("[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = fake\n"
        + "[profile reader]\nrole_arn = " + ROLE + "\nsource_profile = base\nexternal_id = tenant-42\n"
        + "role_session_name = from-profile\nregion = us-east-1\n");
    aws.requireExternalId(ROLE, "tenant-42");

    List<Server> servers = Source.aws(query(null, "reader"), env, new RecordingLog()).discover().services().get(0)
        .servers();

    FakeAws.Request assume = aws.requests().get(0);
    assertEquals("AssumeRole", assume.api());
    assertEquals("AKIDBASE", assume.accessKey());
    assertEquals(ROLE, assume.form().get("RoleArn"));
    assertEquals("from-profile", assume.form().get("RoleSessionName"));
    assertEquals(List.of("DescribeAutoScalingGroups", "DescribeInstances"),
        discoveryCalls().stream().map(FakeAws.Request::api).toList());
    assertTrue(discoveryCalls().stream().allMatch(r -> ROLE.equals(aws.roleOf(r.accessKey()))
        && aws.sessionTokenOf(r.accessKey()).equals(r.securityToken())), aws.requests().toString());
    // the chain's own role, not --role-arn: the inventory stays as a single-region run writes it
    assertEquals("", servers.get(0).region());
  }

  @Test
  void aChainOfRoleProfiles_assumesEachRoleInTurn() throws Exception {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    String hub = "arn:aws:iam::111122223333:role/hub";
    AwsEnvironment env = profiles("[profile base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = fake\n"
        + "[profile hub]\nrole_arn = " + hub + "\nsource_profile = base\n"
        + "[profile reader]\nrole_arn = " + ROLE + "\nsource_profile = hub\n");

    Source.aws(query("us-east-1", "reader"), env, new RecordingLog()).discover();

    List<FakeAws.Request> assume = aws.requests().stream().filter(r -> r.api().equals("AssumeRole")).toList();
    assertEquals(List.of(hub, ROLE), assume.stream().map(r -> r.form().get("RoleArn")).toList());
    assertEquals("AKIDBASE", assume.get(0).accessKey());
    assertEquals(hub, aws.roleOf(assume.get(1).accessKey()));
    assertTrue(discoveryCalls().stream().allMatch(r -> ROLE.equals(aws.roleOf(r.accessKey()))));
  }

  @Test
  void webIdentityFromAProfile_sendsTheTokenFileUnsigned_andSignsWithTheIssuedKeys() throws Exception {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    Path token = Files.writeString(dir.resolve("token"), "eyJ.oidc-token.sig");
    aws.webIdentityToken("eyJ.oidc-token.sig");
    AwsEnvironment env = profiles("[profile oidc]\nrole_arn = " + ROLE + "\nweb_identity_token_file = " + token
        + "\n");

    Source.aws(query("us-east-1", "oidc"), env, new RecordingLog()).discover();

    FakeAws.Request assume = aws.requests().get(0);
    assertEquals("AssumeRoleWithWebIdentity", assume.api());
    assertNull(assume.accessKey(), "AssumeRoleWithWebIdentity is unsigned");
    assertEquals("eyJ.oidc-token.sig", assume.form().get("WebIdentityToken"));
    assertTrue(assume.form().get("RoleSessionName").startsWith("haproxy-sd-"), assume.toString());
    assertTrue(discoveryCalls().stream().allMatch(r -> ROLE.equals(aws.roleOf(r.accessKey()))));
  }

  @Test
  void aRefusedWebIdentityToken_failsInOneLineSayingWhatToCheck() throws Exception {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    Path token = Files.writeString(dir.resolve("token"), "expired");
    aws.webIdentityToken("the-valid-one");
    AwsEnvironment env = profiles("[profile oidc]\nrole_arn = " + ROLE + "\nweb_identity_token_file = " + token
        + "\n");

    DiscoveryException e = assertThrows(DiscoveryException.class,
        () -> Source.aws(query("us-east-1", "oidc"), env, new RecordingLog()).discover());

    assertTrue(e.getMessage().startsWith("AWS DescribeAutoScalingGroups (groups 'web') failed: STS refused the web "
        + "identity token (HTTP 400 InvalidIdentityToken"), e.getMessage());
    assertTrue(e.getMessage().contains("check the token file and the role's trust policy"), e.getMessage());
  }

  @Test
  void aProfileWhoseSourceLeadsBackToIt_isRefusedNamingTheLoop() throws Exception {
    AwsEnvironment env = profiles("[profile a]\nrole_arn = " + ROLE + "\nsource_profile = b\n"
        + "[profile b]\nrole_arn = " + ROLE + "\nsource_profile = a\n");

    DiscoveryException e = assertThrows(DiscoveryException.class,
        () -> Source.aws(query("us-east-1", "a"), env, new RecordingLog()).discover());

    assertTrue(e.getMessage().contains("source_profile leads back to it (a -> b -> a)"), e.getMessage());
    assertEquals(0, aws.requests().size());
  }

  @Test
  void aProfilesEndpointUrl_isHonouredWithoutEndpointUrl() throws Exception {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    AwsEnvironment env = profiles("[profile local]\nregion = eu-west-1\nendpoint_url = " + aws.endpoint() + "\n"
        + "aws_access_key_id = AKIDLOCAL\naws_secret_access_key = fake\n");
    AwsQuery query = AwsQueries.withConnection(AwsQueries.groups(aws, "web"), AwsSettings.builder()
        .profile("local").callTimeout(Duration.ofSeconds(10)).attemptTimeout(Duration.ofSeconds(5)).build());

    assertEquals(1, Source.aws(query, env, new RecordingLog()).discover().serverCount());
    assertTrue(aws.requests().stream().allMatch(r -> "AKIDLOCAL".equals(r.accessKey())
        && "eu-west-1".equals(r.region())), aws.requests().toString());
  }
}
