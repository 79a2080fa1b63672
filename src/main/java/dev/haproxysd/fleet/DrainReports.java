package dev.haproxysd.fleet;

import dev.haproxysd.aws.AwsFailure;
import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.aws.AwsSettings;
import dev.haproxysd.model.Log;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The drain reports of a fleet in S3 ({@code --drain-reports s3://BUCKET/PREFIX/}): this balancer writes its own
 * ({@code PREFIX/NAME.json}, one PutObject) and, while an instance waits, reads the others that are live (one
 * ListObjectsV2, one GetObject per live balancer). Nothing is built until the first call. Another balancer's report
 * that cannot be read or parsed is a warning and stands as "not drained" for that balancer only; a failed request
 * is a {@link DrainReportException} naming the IAM action.
 *
 * <pre>{@code
 * try (DrainReports reports = DrainReports.open(S3Prefix.parse("s3://acme-lb/drain/"), "lb-a",
 *     Duration.ofMinutes(10), aws, log)) {
 *   reports.publish(new DrainReport("lb-a", now, draining));
 *   for (DrainReports.Live other : reports.others(now)) { ... }
 * }
 * }</pre>
 */
public final class DrainReports implements AutoCloseable {
  private static final String MISSING = "create the bucket of --drain-reports %s, or check the URL";

  private final S3Prefix at;
  private final String self;
  private final Duration liveness;
  private final Supplier<AwsSessions.Lease> opener;
  private final Log log;
  private AwsSessions.Lease session;
  private S3Objects s3;

  private DrainReports(S3Prefix at, String self, Duration liveness, Supplier<AwsSessions.Lease> opener, Log log) {
    this.at = at;
    this.self = DrainReport.requireBalancerId(self);
    if (liveness.isNegative() || liveness.isZero()) {
      throw new IllegalArgumentException("the liveness window must be positive, not " + liveness);
    }
    this.liveness = liveness;
    this.opener = opener;
    this.log = log;
  }

  /**
   * The reports under {@code at}, this balancer being {@code self}; S3 with the settings discovery uses, from
   * {@code sessions} (a watch keeps its clients across cycles).
   *
   * @param liveness a report written longer ago than this is a balancer gone ({@code --balancer-liveness})
   */
  public static DrainReports open(S3Prefix at, String self, Duration liveness, AwsSessions sessions,
      AwsSettings aws, Log log) {
    return new DrainReports(at, self, liveness, () -> S3Objects.open(sessions, aws, log), log);
  }

  /** A report written longer ago than this is a balancer gone. */
  public Duration liveness() {
    return liveness;
  }

  public S3Prefix location() {
    return at;
  }

  /** This balancer's name. */
  public String self() {
    return self;
  }

  /** PutObject of this balancer's report. */
  public void publish(DrainReport report) {
    if (!report.balancer().equals(self)) {
      throw new IllegalArgumentException("a report of " + report.balancer() + " is not this balancer's (" + self + ")");
    }
    S3Location key = at.report(self);
    s3("s3:PutObject", () -> {
      s3().putPlain(key, DrainReportJson.format(report), MISSING);
      return null;
    });
    log.debug("drain reports: wrote " + key);
  }

  /**
   * Another balancer whose report is live (written within the window).
   *
   * @param report its report; null when it could not be read or parsed (it then counts as not drained)
   * @param lastModified when S3 says it was written
   */
  public record Live(String balancer, DrainReport report, Instant lastModified) {}

  /**
   * The other balancers' live reports: ListObjectsV2, then GetObject for each report S3 says was written within the
   * liveness window before {@code now}. Objects that are no report (other names) are passed over.
   */
  public List<Live> others(Instant now) {
    List<S3Objects.Listed> listed = s3("s3:ListBucket", () -> s3().list(at.bucket(), at.prefix(), MISSING));
    List<Live> live = new ArrayList<>();
    for (S3Objects.Listed object : listed) {
      String balancer = at.balancerOf(object.key());
      if (balancer == null) {
        log.debug("drain reports: " + S3Location.SCHEME + at.bucket() + "/" + object.key() + " is no report: passed "
            + "over");
        continue;
      }
      if (balancer.equals(self) || object.lastModified() == null
          || Duration.between(object.lastModified(), now).compareTo(liveness) > 0) {
        continue;
      }
      live.add(new Live(balancer, read(balancer, object), object.lastModified()));
    }
    return live;
  }

  private DrainReport read(String balancer, S3Objects.Listed object) {
    S3Location key = new S3Location(at.bucket(), object.key());
    if (object.size() > DrainReportJson.MAX_BYTES) {
      log.warn("drain reports: skipping " + key + " (" + object.size() + " bytes, larger than any report): balancer "
          + balancer + " counts as not drained while it is live");
      return null;
    }
    byte[] body = s3("s3:GetObject", () -> s3().getPlain(key, MISSING));
    try {
      return DrainReportJson.parse(body, balancer);
    } catch (IllegalArgumentException e) {
      log.warn("drain reports: skipping " + key + ", not a drain report (" + AwsFailure.clip(e.getMessage())
          + "): balancer " + balancer + " counts as not drained while it is live");
      return null;
    }
  }

  private S3Objects s3() {
    if (s3 == null) {
      session = opener.get();
      s3 = new S3Objects(session.session(), log);
    }
    return s3;
  }

  private <T> T s3(String iamAction, Supplier<T> request) {
    try {
      return request.get();
    } catch (S3InventoryException e) {
      throw new DrainReportException(iamAction, "drain reports: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    if (session != null) {
      session.close();
    }
  }
}
