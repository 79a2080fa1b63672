package dev.haproxysd.fleet;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.aws.AwsSettings;
import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.discovery.Source;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One discoverer, many balancers: {@link #publish} puts a complete inventory into S3 (the JSON {@code discover -o
 * json} prints, with the time of discovery as object metadata), {@link #reader} is the {@link Source} of every
 * balancer that reads it instead of discovering.
 *
 * <pre>{@code
 * FleetInventory.publish(S3Location.parse("s3://acme-lb/prod.json"), inventory, startedAt, aws, log);
 * Source source = FleetInventory.reader(S3Location.parse("s3://acme-lb/prod.json"), aws, AwsSessions.perRun(),
 *     new FleetInventory.ReadSettings(Duration.ofMinutes(10), new StateStore(stateDir, log), clock), log);
 * }</pre>
 */
public final class FleetInventory {
  private FleetInventory() {}

  /**
   * How a reader treats the object.
   *
   * @param maxAge refuse an inventory discovered longer ago than this; zero: no limit
   * @param cache the state directory that keeps the last download ({@code apply}'s, written under its lock), or
   *     null for none (a single GET per run)
   * @param clock what the inventory's age is measured with
   */
  public record ReadSettings(Duration maxAge, StateStore cache, Clock clock) {
    public ReadSettings {
      Objects.requireNonNull(maxAge, "maxAge");
      Objects.requireNonNull(clock, "clock");
      if (maxAge.isNegative()) {
        throw new IllegalArgumentException("maxAge (" + maxAge + ") must not be negative");
      }
    }
  }

  /** What {@link #publish} wrote. */
  public record Published(String etag, String sha256, int bytes, ApiCalls calls) {}

  /**
   * The source that reads {@code at}; S3 is contacted only when it discovers, in a session from {@code sessions}
   * (kept across the runs of a watch).
   */
  public static Source reader(S3Location at, AwsSettings aws, AwsSessions sessions, ReadSettings settings, Log log) {
    return new S3InventorySource(at, aws, sessions, settings, log);
  }

  /**
   * Writes {@code inventory} to {@code at} in one PutObject (S3 replaces an object atomically: readers see the old
   * one or the new one, never a mix).
   *
   * @param discoveredAt when the discovery that produced {@code inventory} started
   * @throws S3InventoryException when S3 refused or did not answer; the object it had stays
   */
  public static Published publish(S3Location at, Inventory inventory, Instant discoveredAt,
      AwsSettings aws, Log log) {
    byte[] body = InventoryJson.bytes(inventory);
    String sha256 = Sha256.of(body).hex();
    try (AwsSessions.Lease session = S3Objects.open(AwsSessions.perRun(), aws, log)) {
      String etag = new S3Objects(session.session(), log).put(at, body, discoveredAt, sha256);
      return new Published(etag, sha256, body.length, session.calls());
    }
  }
}
