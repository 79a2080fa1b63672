package dev.haproxysd.aws;

import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * What the credential chain reads besides the options: the environment variables and the shared AWS config and
 * credentials files. A seam, so tests hand in their own instead of this machine's.
 *
 * @param env environment variables ({@code AWS_PROFILE}, {@code AWS_ROLE_ARN}, {@code AWS_WEB_IDENTITY_TOKEN_FILE},
 *     {@code AWS_ACCESS_KEY_ID}, ...)
 * @param profiles the merged {@code ~/.aws/config} and {@code ~/.aws/credentials} (or the files AWS_CONFIG_FILE
 *     and AWS_SHARED_CREDENTIALS_FILE name), read when first needed
 */
public record AwsEnvironment(Map<String, String> env, Supplier<ProfileFile> profiles) {
  public AwsEnvironment {
    env = Map.copyOf(env);
    Objects.requireNonNull(profiles, "profiles");
  }

  /** This process's environment and the SDK's default profile files. */
  public static AwsEnvironment system() {
    return new AwsEnvironment(System.getenv(), ProfileFile::defaultProfileFile);
  }

  String get(String name) {
    String value = env.get(name);
    return value == null || value.isEmpty() ? null : value;
  }
}
