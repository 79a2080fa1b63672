package dev.haproxysd.discovery;

import dev.haproxysd.aws.AwsSettings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.RecordingLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --profile} reads keys and region from profile files: here ones in a temp dir, never this machine's. */
class AwsProfileTest {
  private static final String CONFIG = "aws.configFile";
  private static final String CREDENTIALS = "aws.sharedCredentialsFile";

  private final FakeAws aws = FakeAws.start();
  @TempDir Path dir;
  private String savedConfig;
  private String savedCredentials;

  @BeforeEach
  void profileFiles() throws Exception {
    savedConfig = System.getProperty(CONFIG);
    savedCredentials = System.getProperty(CREDENTIALS);
    Path config = Files.writeString(dir.resolve("config"), "[profile ops]\nregion = eu-central-1\n");
    Path credentials = Files.writeString(dir.resolve("credentials"),
        "[ops]\naws_access_key_id = AKIDFROMPROFILE\naws_secret_access_key = fake\n");
    System.setProperty(CONFIG, config.toString());
    System.setProperty(CREDENTIALS, credentials.toString());
  }

  @AfterEach
  void restore() {
    aws.close();
    restore(CONFIG, savedConfig);
    restore(CREDENTIALS, savedCredentials);
  }

  private static void restore(String key, String value) {
    if (value == null) {
      System.clearProperty(key);
    } else {
      System.setProperty(key, value);
    }
  }

  @Test
  void aProfile_givesTheKeysAndTheRegion() {
    aws.asgInstance("web", "i-0001", "InService", "10.0.0.1");
    AwsQuery query = AwsQueries.withConnection(AwsQueries.groups(aws, "web"),
        AwsSettings.of(null, "ops", aws.endpoint(), Duration.ofSeconds(10), Duration.ofSeconds(5)));

    assertEquals(1, Source.aws(query, new RecordingLog()).discover().serverCount());

    assertTrue(aws.requests().stream().allMatch(r -> "AKIDFROMPROFILE".equals(r.accessKey())
        && "eu-central-1".equals(r.region())), aws.requests().toString());
  }
}
