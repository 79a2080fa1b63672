package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.RuntimeApi.ServerStatus;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The sessions haproxy holds on an instance, counted as the lifecycle work counts them before it completes an
 * action (every server at the instance's address and port): for {@code status}, read-only.
 */
public final class InstanceSessions {
  private InstanceSessions() {}

  /**
   * @param inventory where the instance's address and port come from
   * @param servers haproxy's {@code show servers state}
   * @param sessions haproxy's sessions by {@code backend/server}
   * @return the sessions on {@code instance}; empty when the inventory has no server with that id
   */
  public static OptionalInt count(Inventory inventory, String instance, Map<String, ServerStatus> servers,
      Map<String, Integer> sessions) {
    for (Service service : inventory.services()) {
      for (Server server : service.servers()) {
        if (server.id().equals(instance)) {
          return OptionalInt.of(SessionCount.atAddress(server, servers, sessions));
        }
      }
    }
    return OptionalInt.empty();
  }
}
