package dev.haproxysd.aws;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.profiles.Profile;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.services.sso.model.SsoException;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * A profile whose keys come from a source the SDK runs, IAM Identity Center (SSO) or {@code credential_process},
 * with failures that say what to do. The SDK's own would be an internal error (a credential_process exiting
 * non-zero, an expired SSO token it cannot refresh) or read as a network fault (no SSO login at all).
 */
final class ProfileSourceCredentials implements AwsCredentialsProvider, SdkAutoCloseable {
  private static final String SSO_SESSION = "sso_session";

  /** Where the profile's keys come from. */
  enum Source { SSO, PROCESS }

  /** The failure, explained; {@link AwsFailure} finds it among the causes of the SDK's exception. */
  static final class Failure extends RuntimeException {
    Failure(String explanation, Throwable cause) {
      super(explanation, cause);
    }
  }

  private final AwsCredentialsProvider delegate;
  private final Profile profile;
  private final Source source;

  ProfileSourceCredentials(AwsCredentialsProvider delegate, Profile profile, Source source) {
    this.delegate = delegate;
    this.profile = profile;
    this.source = source;
  }

  /** SSO for {@code sso_session} or {@code sso_start_url}, PROCESS for {@code credential_process}. */
  static Optional<Source> of(Profile profile) {
    if (profile.property(SSO_SESSION).isPresent() || profile.property(ProfileProperty.SSO_START_URL).isPresent()) {
      return Optional.of(Source.SSO);
    }
    if (profile.property(ProfileProperty.CREDENTIAL_PROCESS).isPresent()) {
      return Optional.of(Source.PROCESS);
    }
    return Optional.empty();
  }

  @Override
  public AwsCredentials resolveCredentials() {
    try {
      return delegate.resolveCredentials();
    } catch (RuntimeException e) {
      String explanation = explain(e);
      throw SdkClientException.create(explanation, new Failure(explanation, e));
    }
  }

  private String explain(RuntimeException e) {
    String name = "AWS profile '" + profile.name() + "'";
    if (source == Source.PROCESS) {
      return name + ": credential_process failed (" + AwsFailure.clip(messages(e)) + "); run the command by hand, "
          + "as the user haproxy-sd runs as, to see why";
    }
    SsoException refused = ssoCause(e);
    String detail = refused == null ? AwsFailure.clip(messages(e)) : portalError(refused);
    if (refused != null && refused.statusCode() == 403) {
      return name + ": IAM Identity Center refused role '" + profile.property(ProfileProperty.SSO_ROLE_NAME)
          .orElse("") + "' in account " + profile.property(ProfileProperty.SSO_ACCOUNT_ID).orElse("") + " ("
          + detail + "); check sso_account_id, sso_role_name and the user's assignments";
    }
    return name + ": no valid IAM Identity Center (SSO) login (" + detail + "); run 'aws sso login --profile "
        + profile.name() + "' as the user haproxy-sd runs as";
  }

  /** {@code HTTP 401 UnauthorizedException: Session token not found or invalid}, without the SDK's request details. */
  private static String portalError(SsoException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null || details.errorCode() == null ? "" : " " + details.errorCode();
    String message = details == null || details.errorMessage() == null ? "" : ": "
        + AwsFailure.clip(details.errorMessage());
    return "HTTP " + e.statusCode() + code + message;
  }

  /** The distinct messages along the cause chain: the SDK's outer ones rarely say why. */
  private static String messages(Throwable e) {
    List<String> messages = new ArrayList<>();
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage().trim();
      if (!messages.contains(m)) {
        messages.add(m);
      }
    }
    return String.join(": ", messages);
  }

  private static SsoException ssoCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SsoException s) {
        return s;
      }
    }
    return null;
  }

  @Override
  public void close() {
    if (delegate instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // closing the provider of a finished run cannot change its result
      }
    }
  }
}
