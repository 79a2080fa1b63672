package dev.haproxysd.cli;

import dev.haproxysd.aws.AwsSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * How a command reaches AWS: regions, identity, endpoint and timeouts. One set of options for every AWS user of a
 * run: discovery, the S3 inventory (read, or written by {@code --publish}) and the lifecycle calls.
 */
final class AwsOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--region", paramLabel = "REGION", split = ",", converter = RegionConverter.class,
      description = "AWS region to discover in (repeatable, or comma-separated: every source is discovered in "
          + "every region, concurrently, and the services merged; default: AWS_REGION, then the profile's region, "
          + "then the instance's).")
  List<String> regions = new ArrayList<>();

  @Option(names = "--profile", paramLabel = "NAME",
      description = "Credentials and region from this profile of ~/.aws/config and ~/.aws/credentials (role_arn, "
          + "source_profile, credential_source, credential_process, web_identity_token_file and SSO profiles "
          + "work as in the AWS CLI).")
  String profile;

  @Option(names = "--role-arn", paramLabel = "ARN", split = ",", converter = RoleArnConverter.class,
      description = "Assume this IAM role (with the credentials found by --profile or the default chain) and "
          + "discover with it (repeatable, or comma-separated: one account each, every region each).")
  List<String> roleArns = new ArrayList<>();

  @Option(names = "--external-id", paramLabel = "ID", converter = ExternalIdConverter.class,
      description = "External id sent when assuming the --role-arn roles (when their trust policy asks for one).")
  String externalId;

  @Option(names = "--role-session-name", paramLabel = "NAME", converter = SessionNameConverter.class,
      description = "Session name of the --role-arn roles, seen in CloudTrail (default: haproxy-sd-HOSTNAME).")
  String roleSessionName;

  @Option(names = "--endpoint-url", paramLabel = "URL", converter = UrlConverter.class,
      description = "Send every AWS request to URL, STS included (a VPC endpoint, an emulator). Without it, "
          + "AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_<SERVICE> and a profile's endpoint_url apply as the SDK documents.")
  URI endpoint;

  @Option(names = "--aws-timeout", paramLabel = "DURATION", defaultValue = "30s",
      converter = Durations.Positive.class,
      description = "Limit for one AWS API call including its retries, e.g. 30s, 500ms or 1m30s (default: ${DEFAULT-VALUE}).")
  Duration callTimeout;

  @Option(names = "--aws-attempt-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = Durations.Positive.class,
      description = "Limit for one HTTP attempt of an AWS call (default: ${DEFAULT-VALUE}).")
  Duration attemptTimeout;

  /** What the options say; {@code --external-id} and {@code --role-session-name} without a role are usage errors. */
  AwsSettings settings() {
    if ((externalId != null || roleSessionName != null) && roleArns.isEmpty()) {
      throw new ParameterException(command.commandLine(),
          (externalId != null ? "--external-id" : "--role-session-name") + " needs --role-arn");
    }
    return AwsSettings.builder()
        .regions(regions)
        .profile(profile)
        .endpoint(endpoint)
        .roleArns(roleArns)
        .externalId(externalId)
        .roleSessionName(roleSessionName)
        .callTimeout(callTimeout)
        .attemptTimeout(attemptTimeout)
        .build();
  }

  static final class RegionConverter extends ParsingConverter<String> {
    RegionConverter() {
      super(AwsSettings::checkRegion);
    }
  }

  static final class RoleArnConverter extends ParsingConverter<String> {
    RoleArnConverter() {
      super(AwsSettings::checkRoleArn);
    }
  }

  static final class ExternalIdConverter extends ParsingConverter<String> {
    ExternalIdConverter() {
      super(AwsSettings::checkExternalId);
    }
  }

  static final class SessionNameConverter extends ParsingConverter<String> {
    SessionNameConverter() {
      super(AwsSettings::checkRoleSessionName);
    }
  }

  static final class UrlConverter implements ITypeConverter<URI> {
    @Override
    public URI convert(String value) {
      try {
        URI uri = new URI(value);
        if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
          throw new TypeConversionException("expected an http:// or https:// URL, not '" + value + "'");
        }
        return uri;
      } catch (URISyntaxException e) {
        throw new TypeConversionException("not a URL: '" + value + "'");
      }
    }
  }
}
