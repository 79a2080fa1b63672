package dev.haproxysd.discovery;

import dev.haproxysd.model.Log;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.UnsafeValueException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one instance (its id, address, tags or attributes and the state its lifecycle implies) into a {@link
 * Server}, or skips it with a warning when a value it needs is missing or unsafe: a bad instance never becomes an
 * empty or injected {@code server} line, and never stops the other instances from being served.
 */
final class ServerMapping {
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,5}");
  static final int MAX_SRV_WEIGHT = 65535;

  private final AwsQuery.TagNames names;
  private final Log log;

  ServerMapping(AwsQuery.TagNames names, Log log) {
    this.names = names;
    this.log = log;
  }

  /** What is known about one instance before it is checked. */
  record Instance(
      String service,
      String id,
      String addressLabel,
      String address,
      String portLabel,
      String port,
      int defaultPort,
      ServerState state,
      String zone,
      Map<String, String> tags) {}

  Optional<Server> server(Instance i) {
    String what = "service " + SafeValue.quote(i.service()) + ": instance " + SafeValue.quote(i.id());
    try {
      SafeValue.name("instance id", i.id());
      if (i.address() == null || i.address().isEmpty()) {
        log.warn(what + " skipped: it has no " + i.addressLabel());
        return Optional.empty();
      }
      InetAddress address = SafeValue.address(i.addressLabel(), i.address());
      if (!(address instanceof Inet4Address)) {
        throw new UnsafeValueException(i.addressLabel() + ": " + SafeValue.quote(i.address()) + " is not IPv4");
      }
      int port = i.port() == null ? i.defaultPort() : port(i.portLabel(), i.port());
      int weight = Server.DEFAULT_WEIGHT;
      ServerState state = i.state();
      String weightTag = i.tags().get(names.weight());
      if (weightTag != null) {
        weight = srvWeight(names.weight(), weightTag);
        if (weight == 0) {
          state = worse(state, ServerState.DRAIN);
        }
      }
      String stateTag = i.tags().get(names.state());
      if (stateTag != null) {
        try {
          state = worse(state, ServerState.parse(stateTag));
        } catch (IllegalArgumentException e) {
          throw new UnsafeValueException(names.state() + ": " + e.getMessage());
        }
      }
      return Optional.of(new Server(i.id(), i.id(), address, port, weight, state, zone(what, i.zone()), i.tags()));
    } catch (UnsafeValueException e) {
      log.warn(what + " skipped: " + e.getMessage());
      return Optional.empty();
    }
  }

  /** A port from a tag or attribute: plain digits, 1-65535. */
  static int port(String field, String text) {
    if (!DIGITS.matcher(text).matches()) {
      throw new UnsafeValueException(field + ": " + SafeValue.quote(text) + " is not a port number");
    }
    return SafeValue.port(field, Long.parseLong(text));
  }

  /**
   * An SRV-style weight 0-65535 scaled to haproxy's 0-256 the way haproxy scales SRV record weights: rounded up,
   * so only 0 becomes 0.
   */
  static int srvWeight(String field, String text) {
    if (!DIGITS.matcher(text).matches() || Long.parseLong(text) > MAX_SRV_WEIGHT) {
      throw new UnsafeValueException(field + ": " + SafeValue.quote(text) + " is not a weight 0-" + MAX_SRV_WEIGHT);
    }
    return (Integer.parseInt(text) + 255) / 256;
  }

  /** The more restrictive of two states: maint over drain over ready. */
  static ServerState worse(ServerState a, ServerState b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private String zone(String what, String zone) {
    if (zone == null || zone.isEmpty()) {
      return "";
    }
    try {
      return SafeValue.name("zone", zone);
    } catch (UnsafeValueException e) {
      log.debug(what + ": zone left out: " + e.getMessage());
      return "";
    }
  }
}
