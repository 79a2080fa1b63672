package dev.haproxysd.testing;

/**
 * A failure {@link FakeAws} answers instead of the real reply, for one API, optionally only on one page, for a
 * number of requests (retries included) or for ever. Each API answers in its own protocol's error shape, with the
 * error code real AWS uses for that service.
 *
 * <pre>{@code
 * aws.inject(Fault.on("DescribeInstances").page(2).serverError());     // every attempt of page 2 fails
 * aws.inject(Fault.on("DescribeAutoScalingGroups").times(1).throttle()); // the first attempt is throttled
 * aws.inject(Fault.on("DiscoverInstances").hang());                     // no answer until the fake closes
 * }</pre>
 */
public final class Fault {
  /** What the fake answers. */
  public enum Kind { ERROR, THROTTLE, ACCESS_DENIED, HANG, MALFORMED, SLOW }

  final String api;
  int page;
  int remaining = -1;
  Kind kind = Kind.ERROR;
  int status = 500;
  String code = "InternalFailure";
  String message = "We encountered an internal error. Please try again.";
  java.time.Duration delay = java.time.Duration.ZERO;

  private Fault(String api) {
    this.api = api;
  }

  /** A fault for requests of {@code api}, e.g. {@code "DescribeInstances"}; default: HTTP 500 for ever. */
  public static Fault on(String api) {
    return new Fault(api);
  }

  /** Only requests for page {@code n} (1 = the request without NextToken). */
  public Fault page(int n) {
    this.page = n;
    return this;
  }

  /** Only the next {@code n} matching requests; later ones get the real reply. */
  public Fault times(int n) {
    this.remaining = n;
    return this;
  }

  public Fault serverError() {
    return error(500, "InternalFailure", "We encountered an internal error. Please try again.");
  }

  /** The service's own throttling error (Throttling, RequestLimitExceeded or ThrottlingException). */
  public Fault throttle() {
    this.kind = Kind.THROTTLE;
    return this;
  }

  /** The service's own access-denied error (AccessDenied, UnauthorizedOperation or AccessDeniedException). */
  public Fault accessDenied() {
    this.kind = Kind.ACCESS_DENIED;
    return this;
  }

  /** Accept the request and never answer (until {@link FakeAws#close}). */
  public Fault hang() {
    this.kind = Kind.HANG;
    return this;
  }

  /** The real reply, but only after {@code delay} (a slow or overloaded endpoint). */
  public Fault slow(java.time.Duration delay) {
    this.kind = Kind.SLOW;
    this.delay = delay;
    return this;
  }

  /** HTTP 200 with a body that is not the protocol's format. */
  public Fault malformed() {
    this.kind = Kind.MALFORMED;
    return this;
  }

  public Fault error(int status, String code, String message) {
    this.kind = Kind.ERROR;
    this.status = status;
    this.code = code;
    this.message = message;
    return this;
  }

  synchronized boolean take(String api, int page) {
    if (!this.api.equals(api) || (this.page != 0 && this.page != page) || remaining == 0) {
      return false;
    }
    if (remaining > 0) {
      remaining--;
    }
    return true;
  }
}
