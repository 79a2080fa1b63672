package dev.haproxysd.aws;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.ContainerCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.InstanceProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.services.sts.StsClient;
import software.amazon.awssdk.services.sts.auth.StsAssumeRoleCredentialsProvider;
import software.amazon.awssdk.services.sts.auth.StsWebIdentityTokenFileCredentialsProvider;

/**
 * The credentials of a run: the SDK's chain (or {@code --profile}) as the base, and one refreshing AssumeRole
 * provider per {@code --role-arn} on top of it.
 *
 * <p>Every STS call goes through an {@link StsClient} this run builds (its region, {@code --endpoint-url}, retries,
 * timeouts and call counter). The SDK would build its own, blind to those, for a profile with {@code role_arn} and
 * for web identity, so those two are resolved here; everything else (keys, {@code credential_process}, SSO,
 * container and instance roles) is the SDK's own provider. The order is the SDK's: system properties and
 * environment keys, web identity from the environment, the profile, container, instance.
 */
final class Credentials implements AutoCloseable {
  private static final String WEB_IDENTITY_TOKEN_FILE = "web_identity_token_file";
  private static final String ROLE_SESSION_NAME = "role_session_name";
  private static final String DURATION_SECONDS = "duration_seconds";

  private final AwsSettings settings;
  private final AwsEnvironment environment;
  private final Function<AwsCredentialsProvider, StsClient> sts;
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final Map<String, AwsCredentialsProvider> roles = new HashMap<>();
  private ProfileFile profiles;
  private AwsCredentialsProvider base;

  /** @param sts builds an STS client signing with the given credentials */
  Credentials(AwsSettings settings, AwsEnvironment environment, Function<AwsCredentialsProvider, StsClient> sts) {
    this.settings = settings;
    this.environment = environment;
    this.sts = sts;
  }

  /** The credentials for {@code roleArn}, or the base ones for null; built once, refreshed by the SDK. */
  synchronized AwsCredentialsProvider forRole(String roleArn) {
    if (roleArn == null) {
      return base();
    }
    return roles.computeIfAbsent(roleArn, arn -> assumeRole(base(), arn, settings.externalId(),
        settings.roleSessionName() != null ? settings.roleSessionName() : defaultSessionName(), null));
  }

  synchronized ProfileFile profiles() {
    if (profiles == null) {
      profiles = environment.profiles().get();
    }
    return profiles;
  }

  /** The profile whose settings apply: {@code --profile}, else AWS_PROFILE, else {@code default}. */
  String profileName() {
    if (settings.profile() != null) {
      return settings.profile();
    }
    String fromEnv = environment.get("AWS_PROFILE");
    return fromEnv != null ? fromEnv : "default";
  }

  private AwsCredentialsProvider base() {
    if (base == null) {
      base = opened(chain());
    }
    return base;
  }

  private AwsCredentialsProvider chain() {
    if (settings.profile() != null) {
      return profile(settings.profile(), new LinkedHashSet<>());
    }
    boolean keys = environment.get("AWS_ACCESS_KEY_ID") != null || System.getProperty("aws.accessKeyId") != null;
    if (!keys) {
      String roleArn = environment.get("AWS_ROLE_ARN");
      String tokenFile = environment.get("AWS_WEB_IDENTITY_TOKEN_FILE");
      if (roleArn != null && tokenFile != null) {
        return webIdentity(roleArn, tokenFile, Optional.ofNullable(environment.get("AWS_ROLE_SESSION_NAME")));
      }
      Optional<Profile> profile = profiles().profile(profileName());
      // A profile with a role, an SSO login or a credential_process is what the operator chose: when it fails, the
      // run says why instead of falling through to the container or instance role.
      if (profile.isPresent() && (profile.get().property(ProfileProperty.ROLE_ARN).isPresent()
          || ProfileSourceCredentials.of(profile.get()).isPresent())) {
        return profile(profileName(), new LinkedHashSet<>());
      }
    }
    return DefaultCredentialsProvider.builder().profileFile(this::profiles).profileName(profileName()).build();
  }

  /**
   * A profile: its role (source_profile, credential_source or web identity) resolved here, anything else by the SDK
   * (SSO and credential_process with failures explained).
   */
  private AwsCredentialsProvider profile(String name, Set<String> visited) {
    Optional<Profile> found = profiles().profile(name);
    Optional<String> roleArn = found.flatMap(p -> p.property(ProfileProperty.ROLE_ARN));
    if (roleArn.isEmpty()) {
      AwsCredentialsProvider sdk = ProfileCredentialsProvider.builder().profileFile(this::profiles).profileName(name)
          .build();
      Optional<ProfileSourceCredentials.Source> source = found.flatMap(ProfileSourceCredentials::of);
      return opened(source.isEmpty() ? sdk : new ProfileSourceCredentials(sdk, found.get(), source.get()));
    }
    Profile p = found.get();
    if (!visited.add(name)) {
      throw new AwsException("AWS profile '" + name + "': source_profile leads back to it (" + String.join(" -> ",
          visited) + " -> " + name + "); fix the AWS config file");
    }
    Optional<String> sessionName = p.property(ROLE_SESSION_NAME);
    Optional<String> tokenFile = p.property(WEB_IDENTITY_TOKEN_FILE);
    if (tokenFile.isPresent()) {
      return webIdentity(roleArn.get(), tokenFile.get(), sessionName);
    }
    AwsCredentialsProvider source;
    Optional<String> sourceProfile = p.property(ProfileProperty.SOURCE_PROFILE);
    Optional<String> credentialSource = p.property(ProfileProperty.CREDENTIAL_SOURCE);
    if (sourceProfile.isPresent()) {
      // A profile naming itself as its source holds the keys that assume its own role.
      source = sourceProfile.get().equals(name) ? keysOf(p) : profile(sourceProfile.get(), visited);
    } else if (credentialSource.isPresent()) {
      source = credentialSource(name, credentialSource.get());
    } else {
      throw new AwsException("AWS profile '" + name + "' has role_arn but no source_profile, credential_source or "
          + "web_identity_token_file; add one to the AWS config file");
    }
    Integer duration = p.property(DURATION_SECONDS).map(Integer::valueOf).orElse(null);
    return assumeRole(source, roleArn.get(), p.property(ProfileProperty.EXTERNAL_ID).orElse(null),
        sessionName.orElseGet(Credentials::defaultSessionName), duration);
  }

  private AwsCredentialsProvider credentialSource(String profile, String source) {
    switch (source) {
      case "Environment":
        return environmentKeys();
      case "Ec2InstanceMetadata":
        return opened(InstanceProfileCredentialsProvider.builder().profileFile(this::profiles).profileName(profile)
            .build());
      case "EcsContainer":
        return opened(ContainerCredentialsProvider.builder().build());
      default:
        throw new AwsException("AWS profile '" + profile + "': credential_source '" + source + "' is not one of "
            + "Environment, Ec2InstanceMetadata, EcsContainer; fix the AWS config file");
    }
  }

  private AwsCredentialsProvider environmentKeys() {
    String id = environment.get("AWS_ACCESS_KEY_ID");
    String secret = environment.get("AWS_SECRET_ACCESS_KEY");
    String token = environment.get("AWS_SESSION_TOKEN");
    return () -> {
      if (id == null || secret == null) {
        throw SdkClientException.create("credential_source Environment: AWS_ACCESS_KEY_ID and "
            + "AWS_SECRET_ACCESS_KEY are not set");
      }
      return token == null ? AwsBasicCredentials.create(id, secret) : AwsSessionCredentials.create(id, secret, token);
    };
  }

  private static AwsCredentialsProvider keysOf(Profile p) {
    Optional<String> id = p.property(ProfileProperty.AWS_ACCESS_KEY_ID);
    Optional<String> secret = p.property(ProfileProperty.AWS_SECRET_ACCESS_KEY);
    if (id.isEmpty() || secret.isEmpty()) {
      throw new AwsException("AWS profile '" + p.name() + "' is its own source_profile but has no "
          + "aws_access_key_id and aws_secret_access_key; fix the AWS config or credentials file");
    }
    Optional<String> token = p.property(ProfileProperty.AWS_SESSION_TOKEN);
    AwsCredentials keys = token.isPresent() ? AwsSessionCredentials.create(id.get(), secret.get(), token.get())
        : AwsBasicCredentials.create(id.get(), secret.get());
    return StaticCredentialsProvider.create(keys);
  }

  private AwsCredentialsProvider assumeRole(
      AwsCredentialsProvider source, String roleArn, String externalId, String sessionName, Integer duration) {
    StsClient client = opened(sts.apply(source));
    return opened(StsAssumeRoleCredentialsProvider.builder()
        .stsClient(client)
        .refreshRequest(r -> r.roleArn(roleArn).roleSessionName(sessionName).externalId(externalId)
            .durationSeconds(duration))
        .build());
  }

  /** AssumeRoleWithWebIdentity is unsigned: the token file is the proof, re-read at every refresh. */
  private AwsCredentialsProvider webIdentity(String roleArn, String tokenFile, Optional<String> sessionName) {
    StsClient client = opened(sts.apply(AnonymousCredentialsProvider.create()));
    return opened(StsWebIdentityTokenFileCredentialsProvider.builder()
        .stsClient(client)
        .roleArn(roleArn)
        .roleSessionName(sessionName.orElseGet(Credentials::defaultSessionName))
        .webIdentityTokenFile(Path.of(tokenFile))
        .build());
  }

  /** {@code haproxy-sd-HOSTNAME}, cut to what STS accepts: CloudTrail then says which balancer asked. */
  static String defaultSessionName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "";
    }
    String name = ("haproxy-sd-" + host).replaceAll("[^\\w+=,.@-]", "-");
    return name.length() <= 64 ? name : name.substring(0, 64);
  }

  private <T> T opened(T provider) {
    if (provider instanceof AutoCloseable c) {
      opened.add(c);
    }
    return provider;
  }

  @Override
  public synchronized void close() {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        // closing the providers of a finished run cannot change its result
      }
    }
    opened.clear();
  }
}
