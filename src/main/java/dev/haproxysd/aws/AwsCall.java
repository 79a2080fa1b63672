package dev.haproxysd.aws;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * One AWS API as the messages name it: {@code iamPrefix:api} is also the IAM action it needs, {@code resource} says
 * what was asked (e.g. {@code groups web, api}). Every request goes through here, so every failure becomes one
 * {@link AwsException} line naming API, resource, page and, for access denied, the IAM action.
 *
 * <p>Example: {@code new AwsCall("ec2", "DescribeInstances", "instances of web").allPages(token ->
 * clients.ec2().describeInstances(b -> b.nextToken(token)), DescribeInstancesResponse::nextToken)}.
 */
public record AwsCall(String iamPrefix, String api, String resource) {

  public String iamAction() {
    return iamPrefix + ":" + api;
  }

  public <T> T once(Supplier<T> request) {
    return attempt(0, request);
  }

  /**
   * Follows {@code NextToken} to the last page and returns every page; any failed page fails the whole call.
   *
   * @param request makes the request for a token (null for the first page)
   */
  public <R> List<R> allPages(Function<String, R> request, Function<R, String> nextToken) {
    List<R> pages = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String token = null;
    do {
      String current = token;
      R page = attempt(pages.size() + 1, () -> request.apply(current));
      pages.add(page);
      token = nextToken.apply(page);
      if (token != null && token.isEmpty()) {
        token = null;
      }
      if (token != null && !seen.add(token)) {
        throw failure(pages.size(), "malformed reply: NextToken repeats an earlier page (the listing would never end)");
      }
    } while (token != null);
    return pages;
  }

  private <T> T attempt(int page, Supplier<T> request) {
    try {
      return request.get();
    } catch (SdkException e) {
      throw new AwsException(where(page) + ": " + AwsFailure.describe(this, e), e);
    }
  }

  public AwsException failure(int page, String why) {
    return new AwsException(where(page) + ": " + why);
  }

  private String where(int page) {
    return "AWS " + api + " (" + resource + (page > 1 ? ", page " + page : "") + ") failed";
  }
}
