package dev.haproxysd.aws;

import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sts.model.StsException;

/** Says in one line why an AWS request failed and what to do about it. */
public final class AwsFailure {
  private static final Set<String> ACCESS_DENIED =
      Set.of("AccessDenied", "AccessDeniedException", "UnauthorizedOperation", "UnauthorizedAccess");
  private static final Set<String> BAD_CREDENTIALS = Set.of("AuthFailure", "InvalidClientTokenId",
      "UnrecognizedClientException", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
      "InvalidAccessKeyId", "IncompleteSignature", "MissingAuthenticationToken");
  private static final Set<String> WEB_IDENTITY_REFUSED =
      Set.of("InvalidIdentityToken", "IDPRejectedClaim", "IDPCommunicationError", "ExpiredTokenException");
  private static final int MAX_DETAIL = 200;

  private AwsFailure() {}

  static String describe(AwsCall call, SdkException e) {
    return describe(call.iamAction(), e);
  }

  /**
   * For a request made outside {@link AwsCall} (the fleet's S3 requests, which add S3's own cases first).
   *
   * @param iamAction the IAM action the request needs, named when access was denied (e.g. {@code s3:GetObject})
   */
  public static String describe(String iamAction, SdkException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ProfileSourceCredentials.Failure explained) {
        return explained.getMessage();
      }
    }
    StsException sts = stsCause(e);
    if (sts != null) {
      return credentialsFromSts(sts);
    }
    String attempts = e.numAttempts() == null || e.numAttempts() <= 1 ? "" : " after " + e.numAttempts() + " attempts";
    if (e instanceof AwsServiceException s) {
      AwsErrorDetails details = s.awsErrorDetails();
      String code = details == null || details.errorCode() == null ? "" : details.errorCode();
      String detail = "(HTTP " + s.statusCode() + (code.isEmpty() ? "" : " " + code)
          + (details == null || details.errorMessage() == null ? "" : ": " + clip(details.errorMessage())) + ")";
      if (ACCESS_DENIED.contains(code) || (s.statusCode() == 403 && !BAD_CREDENTIALS.contains(code))) {
        return "access denied " + detail + "; allow the IAM action " + iamAction + " for these credentials";
      }
      if (BAD_CREDENTIALS.contains(code)) {
        return "the credentials were rejected " + detail + "; check --profile, AWS_PROFILE or the access keys";
      }
      if (s.isThrottlingException()) {
        return "throttled" + attempts + " " + detail + "; run less often or retry later";
      }
      if (s.statusCode() >= 500) {
        return "AWS server error" + attempts + " " + detail + "; retry later";
      }
      return "request refused " + detail;
    }
    if (e instanceof ApiCallTimeoutException) {
      return "timed out" + attempts + " (the whole call took longer than --aws-timeout); check the network or "
          + "the endpoint, or raise --aws-timeout";
    }
    if (e instanceof ApiCallAttemptTimeoutException || causedBySocketTimeout(e)) {
      // The socket read timeout equals the attempt timeout; which of the two fires first is a race.
      return "timed out" + attempts + ": no answer within --aws-attempt-timeout; check the network or the endpoint";
    }
    String message = clip(String.valueOf(e.getMessage()).replaceAll("\\s*\\(SDK Attempt Count: \\d+\\)", ""));
    String lower = message.toLowerCase(Locale.ROOT);
    if (lower.contains("credentials")) {
      // The chain's own message lists every provider it tried: long, and no help to the reader.
      String detail = lower.startsWith("unable to load credentials from any of the providers") ? "" : " (" + message + ")";
      return "no usable AWS credentials" + detail + "; use --profile, AWS_PROFILE or AWS_ACCESS_KEY_ID/"
          + "AWS_SECRET_ACCESS_KEY, or run with an instance profile or task role";
    }
    if (lower.contains("unable to unmarshall") || lower.contains("unable to parse")
        || lower.contains("unexpected")) {
      return "malformed reply (" + message + ")";
    }
    return "cannot reach AWS" + attempts + " (" + message + "); check --endpoint-url, --region and the network";
  }

  /** AssumeRole or AssumeRoleWithWebIdentity failed while the chain fetched credentials for this call. */
  private static String credentialsFromSts(StsException e) {
    AwsErrorDetails details = e.awsErrorDetails();
    String code = details == null || details.errorCode() == null ? "" : details.errorCode();
    String detail = "(HTTP " + e.statusCode() + (code.isEmpty() ? "" : " " + code)
        + (details == null || details.errorMessage() == null ? "" : ": " + clip(details.errorMessage())) + ")";
    if (WEB_IDENTITY_REFUSED.contains(code)) {
      return "STS refused the web identity token " + detail + "; check the token file and the role's trust policy "
          + "(its OIDC provider, audience and subject)";
    }
    if (ACCESS_DENIED.contains(code) || e.statusCode() == 403) {
      return "the role could not be assumed " + detail + "; allow sts:AssumeRole on the role for these "
          + "credentials and check the role's trust policy (and --external-id)";
    }
    return "STS could not issue credentials " + detail + "; check --role-arn, the profile's role_arn and the network";
  }

  private static StsException stsCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof StsException s) {
        return s;
      }
    }
    return null;
  }

  private static boolean causedBySocketTimeout(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SocketTimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** One line, at most a few hundred characters: AWS messages can be long and are not ours to trust. */
  public static String clip(String message) {
    if (message == null) {
      return "";
    }
    String line = message.replaceAll("[\\r\\n\\t]+", " ").replaceAll("\\p{Cntrl}", "?").trim();
    return line.length() <= MAX_DETAIL ? line : line.substring(0, MAX_DETAIL) + "...";
  }
}
