package dev.haproxysd.fleet;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.aws.AwsSettings;
import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.discovery.Source;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryFormatException;
import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Sha256;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * {@code --inventory s3://BUCKET/KEY}: the inventory a publisher put in S3, instead of discovering. No Auto
 * Scaling, EC2 or Cloud Map call; at most two S3 requests. With a cache (apply's state directory) a run asks HEAD
 * first and downloads only when the content changed; without one it sends a single GET. Either way the object's
 * age is checked before its body is used: an inventory older than the limit is refused.
 */
final class S3InventorySource implements Source {
  private final S3Location at;
  private final AwsSettings aws;
  private final AwsSessions sessions;
  private final FleetInventory.ReadSettings settings;
  private final Log log;
  private ApiCalls calls = ApiCalls.NONE;
  private Instant discoveredAt;

  S3InventorySource(S3Location at, AwsSettings aws, AwsSessions sessions, FleetInventory.ReadSettings settings,
      Log log) {
    this.at = at;
    this.aws = aws;
    this.sessions = sessions;
    this.settings = settings;
    this.log = log;
  }

  @Override
  public Inventory discover() {
    AwsSessions.Lease session = S3Objects.open(sessions, aws, log);
    try (session) {
      S3Objects s3 = new S3Objects(session.session(), log);
      InventoryCache cache = settings.cache() == null ? null : new InventoryCache(settings.cache(), log);
      Optional<InventoryCache.Entry> cached = cache == null ? Optional.empty() : cache.entry(at);
      if (cached.isPresent()) {
        ObjectVersion version = checkAge(s3.head(at));
        if (cached.get().is(version.contentId())) {
          log.debug(at + ": unchanged since the last download (" + version.contentId() + "): using the cached copy");
          return parse(cached.get().body());
        }
      }
      S3Objects.Fetched fetched = s3.get(at);
      ObjectVersion version = checkAge(fetched.version());
      byte[] body = verified(fetched.body(), version);
      Inventory inventory = parse(body);
      if (cache != null) {
        store(cache, version, body);
      }
      return inventory;
    } finally {
      calls = session.calls();
      log.debug("s3: " + calls);
    }
  }

  @Override
  public boolean readsInventory() {
    return true;
  }

  @Override
  public ApiCalls apiCalls() {
    return calls;
  }

  @Override
  public Optional<Instant> discoveredAt() {
    return Optional.ofNullable(discoveredAt);
  }

  private ObjectVersion checkAge(ObjectVersion version) {
    discoveredAt = version.since();
    version.publisherClockAhead().ifPresent(ahead -> log.warn(at + ": its publisher's clock is " + Ages.describe(ahead)
        + " ahead (discovered at " + version.discoveredAt() + ", stored by S3 at " + version.lastModified()
        + "): its age is counted from S3's Last-Modified; set the publisher's clock right (NTP)"));
    Duration age = Duration.between(discoveredAt, settings.clock().now());
    if (age.isNegative()) {
      log.debug(at + ": " + version.describeTime() + " is in the future (this host's clock is behind): taken as "
          + "age 0");
      age = Duration.ZERO;
    }
    Duration limit = settings.maxAge();
    if (!limit.isZero() && age.compareTo(limit) > 0) {
      throw new StaleInventoryException("the inventory " + at + " is " + Ages.describe(age) + " old ("
          + version.describeTime() + "), older than --max-inventory-age " + Ages.describe(limit)
          + ": is its publisher ('haproxy-sd discover --publish') running? Nothing was rendered from it");
    }
    log.debug(at + ": " + version.describeTime() + ", " + Ages.describe(age) + " old");
    return version;
  }

  private byte[] verified(byte[] body, ObjectVersion version) {
    if (version.sha256() != null && !version.sha256().equals(Sha256.of(body).hex())) {
      throw new InventoryFormatException(at + ": the body does not match its x-amz-meta-" + ObjectVersion.SHA256
          + " (replaced by another tool that kept the metadata?); publish it again with 'haproxy-sd discover "
          + "--publish'");
    }
    return body;
  }

  private Inventory parse(byte[] body) {
    return InventoryJson.read(body, at.toString());
  }

  private void store(InventoryCache cache, ObjectVersion version, byte[] body) {
    try {
      cache.store(at, version.contentId(), body);
    } catch (IOException e) {
      log.warn("cannot keep the inventory in " + settings.cache().dir() + " (" + e.getMessage() + "): the next run "
          + "downloads it again");
    }
  }
}
