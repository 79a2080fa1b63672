package dev.haproxysd.model;

import java.net.InetAddress;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One backend server. Every field that can reach a directive is validated here, so a {@code Server} that exists is
 * safe to render: {@code name} is a haproxy-safe name, {@code address} a parsed IP, {@code port} 1-65535, {@code
 * weight} 0-256. {@code tags} keep the raw values from AWS or the inventory; templates only see them through checks.
 *
 * @param id stable identity, e.g. an EC2 instance id; also a haproxy-safe name
 * @param name the haproxy server name (defaults to {@code id})
 * @param zone availability zone or empty
 * @param region the AWS region it was discovered in, or empty: set only when a run spans several (account,
 *     region) pairs or assumes a role, so a single-region run's inventory stays as it was
 * @param account the 12-digit account of the assumed role it was discovered with, or empty
 */
public record Server(
    String id,
    String name,
    InetAddress address,
    int port,
    int weight,
    ServerState state,
    String zone,
    String region,
    String account,
    Map<String, String> tags) {

  public static final int DEFAULT_WEIGHT = 100;

  public Server {
    id = SafeValue.name("server id", id);
    String what = "server " + SafeValue.quote(id);
    try {
      name = SafeValue.name("name", name == null ? id : name);
      Objects.requireNonNull(address, "address");
      port = SafeValue.port("port", port);
      weight = SafeValue.weight("weight", weight);
      Objects.requireNonNull(state, "state");
      zone = zone == null || zone.isEmpty() ? "" : SafeValue.name("zone", zone);
      region = region == null || region.isEmpty() ? "" : SafeValue.name("region", region);
      account = account == null || account.isEmpty() ? "" : SafeValue.name("account", account);
      tags = sortedCopy(tags);
    } catch (UnsafeValueException e) {
      throw e.within(what);
    }
  }

  /** A server of no particular region or account. */
  public Server(String id, String name, InetAddress address, int port, int weight, ServerState state, String zone,
      Map<String, String> tags) {
    this(id, name, address, port, weight, state, zone, "", "", tags);
  }

  /** A ready server with the default weight, no zone and no tags. */
  public static Server of(String id, InetAddress address, int port) {
    return new Server(id, id, address, port, DEFAULT_WEIGHT, ServerState.READY, "", Map.of());
  }

  public Server withState(ServerState newState) {
    return new Server(id, name, address, port, weight, newState, zone, region, account, tags);
  }

  /** This server as discovered in {@code region} with {@code account} (either may be empty), under {@code newId}. */
  public Server from(String newId, String newRegion, String newAccount) {
    return new Server(newId, name.equals(id) ? newId : name, address, port, weight, state, zone, newRegion, newAccount,
        tags);
  }

  /** {@code address:port} as haproxy reads it on a {@code server} line. */
  public String endpoint() {
    return SafeValue.endpoint(address, port);
  }

  static SortedMap<String, String> sortedCopy(Map<String, String> map) {
    if (map == null || map.isEmpty()) {
      return Collections.emptySortedMap();
    }
    TreeMap<String, String> copy = new TreeMap<>();
    map.forEach(
        (k, v) -> copy.put(Objects.requireNonNull(k, "tag key"), Objects.requireNonNull(v, "tag value")));
    return Collections.unmodifiableSortedMap(copy);
  }
}
