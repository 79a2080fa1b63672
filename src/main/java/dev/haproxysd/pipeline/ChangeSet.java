package dev.haproxysd.pipeline;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between the inventory the last apply came from and the one just discovered, keyed by service name
 * and server id. Without a recorded inventory ({@code baselineKnown} false) everything counts as added.
 */
public record ChangeSet(
    boolean baselineKnown,
    List<String> servicesAdded,
    List<String> servicesRemoved,
    List<ServerRef> serversAdded,
    List<ServerRef> serversRemoved,
    List<ServerChange> serversChanged) {

  /** A server of a service. */
  public record ServerRef(String service, Server server) {}

  /** A server whose address, port, weight, state, zone or name changed; {@code fields} names them. */
  public record ServerChange(String service, Server before, Server after, List<String> fields) {
    public ServerChange {
      fields = List.copyOf(fields);
    }
  }

  public ChangeSet {
    servicesAdded = List.copyOf(servicesAdded);
    servicesRemoved = List.copyOf(servicesRemoved);
    serversAdded = List.copyOf(serversAdded);
    serversRemoved = List.copyOf(serversRemoved);
    serversChanged = List.copyOf(serversChanged);
  }

  /** @param before the recorded inventory, or null when there is none */
  public static ChangeSet between(Inventory before, Inventory after) {
    Map<String, Service> old = byName(before == null ? Inventory.EMPTY : before);
    Map<String, Service> now = byName(after);
    List<String> servicesAdded = new ArrayList<>();
    List<String> servicesRemoved = new ArrayList<>();
    List<ServerRef> added = new ArrayList<>();
    List<ServerRef> removed = new ArrayList<>();
    List<ServerChange> changed = new ArrayList<>();
    for (Service service : after.services()) {
      Service previous = old.get(service.name());
      if (previous == null) {
        servicesAdded.add(service.name());
      }
      Map<String, Server> oldServers = byId(previous);
      for (Server server : service.servers()) {
        Server was = oldServers.get(server.id());
        if (was == null) {
          added.add(new ServerRef(service.name(), server));
        } else {
          List<String> fields = differences(was, server);
          if (!fields.isEmpty()) {
            changed.add(new ServerChange(service.name(), was, server, fields));
          }
        }
      }
    }
    for (Service service : old.values()) {
      Map<String, Server> newServers = byId(now.get(service.name()));
      if (!now.containsKey(service.name())) {
        servicesRemoved.add(service.name());
      }
      for (Server server : service.servers()) {
        if (!newServers.containsKey(server.id())) {
          removed.add(new ServerRef(service.name(), server));
        }
      }
    }
    return new ChangeSet(before != null, servicesAdded, servicesRemoved, added, removed, changed);
  }

  public boolean isEmpty() {
    return servicesAdded.isEmpty() && servicesRemoved.isEmpty() && serversAdded.isEmpty()
        && serversRemoved.isEmpty() && serversChanged.isEmpty();
  }

  private static List<String> differences(Server a, Server b) {
    List<String> fields = new ArrayList<>();
    if (!a.name().equals(b.name())) {
      fields.add("name");
    }
    if (!a.address().equals(b.address())) {
      fields.add("address");
    }
    if (a.port() != b.port()) {
      fields.add("port");
    }
    if (a.weight() != b.weight()) {
      fields.add("weight");
    }
    if (a.state() != b.state()) {
      fields.add("state");
    }
    if (!Objects.equals(a.zone(), b.zone())) {
      fields.add("zone");
    }
    return fields;
  }

  private static Map<String, Service> byName(Inventory inventory) {
    Map<String, Service> map = new LinkedHashMap<>();
    inventory.services().forEach(s -> map.put(s.name(), s));
    return map;
  }

  private static Map<String, Server> byId(Service service) {
    Map<String, Server> map = new LinkedHashMap<>();
    if (service != null) {
      service.servers().forEach(s -> map.put(s.id(), s));
    }
    return map;
  }
}
