package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.haproxy.RuntimeApi.Command;
import dev.haproxysd.haproxy.RuntimeApi.ServerStatus;
import dev.haproxysd.haproxy.ServerLines;
import dev.haproxysd.haproxy.ServerLines.ServerLine;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.Slots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Brings a running haproxy to the server lines of a rendered config through the runtime API: reads {@code show
 * servers state}, sends {@code set server} commands for every server that differs, checks each reply, reads the
 * state again and checks every server. Any surprise is an {@link IOException}; the caller then reloads.
 *
 * <p>What a server line wants: {@code disabled} = maint; otherwise drain when the inventory says so (templates
 * usually render a draining server as {@code weight 0}), else ready with the line's weight and address.
 */
final class RuntimeUpdate {
  private final RuntimeApi api;
  private final ServerLines desired;
  private final Map<String, ServerState> states;

  /** @param states what the inventory says of each {@code backend/server} line ({@link #statesOf}) */
  RuntimeUpdate(RuntimeApi api, ServerLines desired, Map<String, ServerState> states) {
    this.api = api;
    this.desired = desired;
    this.states = states;
  }

  /** A runtime reply or a state that is not what it must be. */
  static final class Mismatch extends IOException {
    private static final long serialVersionUID = 1L;

    Mismatch(String message) {
      super(message);
    }
  }

  /** @return how many servers were changed */
  int apply() throws IOException {
    Map<String, ServerStatus> before = api.serversState();
    List<Command> commands = new ArrayList<>();
    int changed = 0;
    for (ServerLine line : desired.servers()) {
      ServerStatus status = before.get(line.id());
      if (status == null) {
        throw new Mismatch("haproxy has no server " + line.id() + ": it does not run the installed config");
      }
      if (!matches(line, status)) {
        commands.addAll(commands(line, status));
        changed++;
      }
    }
    if (commands.isEmpty()) {
      return 0;
    }
    api.execute(commands);
    Map<String, ServerStatus> after = api.serversState();
    for (ServerLine line : desired.servers()) {
      ServerStatus status = after.get(line.id());
      if (status == null || !matches(line, status)) {
        throw new Mismatch("show servers state after the update: " + line.id() + " is "
            + (status == null ? "missing" : status.describe()) + ", want " + describe(line));
      }
    }
    return changed;
  }

  /**
   * The lines of a {@code show servers state} dump worth loading into a reload of the desired config: those of
   * servers already exactly as the config wants them (so only health and drain carry over). Lines of servers whose
   * address, port, weight or state changes are dropped: haproxy would apply the saved values over the new file's.
   */
  String keptState(String dump) throws IOException {
    Map<String, ServerStatus> statuses = RuntimeApi.parseServersState(dump);
    Map<String, ServerLine> byId = new HashMap<>();
    desired.servers().forEach(line -> byId.put(line.id(), line));
    StringBuilder kept = new StringBuilder();
    int be = -1;
    int srv = -1;
    String[] lines = dump.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (i == 0 || line.startsWith("#")) {
        if (line.startsWith("#")) {
          List<String> header = List.of(line.substring(1).strip().split("\\s+"));
          be = header.indexOf("be_name");
          srv = header.indexOf("srv_name");
        }
        kept.append(line).append('\n');
        continue;
      }
      String[] fields = line.split("\\s+");
      if (line.isEmpty() || be < 0 || srv < 0 || fields.length <= Math.max(be, srv)) {
        continue;
      }
      String id = fields[be] + "/" + fields[srv];
      ServerLine wanted = byId.get(id);
      ServerStatus status = statuses.get(id);
      if (wanted != null && status != null && matches(wanted, status)) {
        kept.append(line).append('\n');
      }
    }
    return kept.toString();
  }

  private ServerState want(ServerLine line) {
    if (line.disabled()) {
      return ServerState.MAINT;
    }
    return states.getOrDefault(line.id(), ServerState.READY) == ServerState.DRAIN
        ? ServerState.DRAIN : ServerState.READY;
  }

  private boolean matches(ServerLine line, ServerStatus status) {
    if (line.elsewhereThan(status)) {
      return false;
    }
    ServerState want = want(line);
    if (want == ServerState.MAINT) {
      return status.maint();
    }
    // Address, port, weight and admin state, each: a server draining with the right weight is not a ready one.
    return !status.maint() && status.userWeight() == line.weight() && status.drain() == (want == ServerState.DRAIN);
  }

  private List<Command> commands(ServerLine line, ServerStatus status) {
    List<Command> commands = new ArrayList<>();
    String b = line.backend();
    String s = line.name();
    boolean moves = line.elsewhereThan(status);
    boolean live = !status.maint();
    ServerState want = want(line);
    if (live && (moves || want == ServerState.MAINT)) {
      commands.add(Command.state(b, s, "maint")); // no new connection reaches the old address
    }
    if (moves) {
      commands.add(Command.addr(b, s, line.address(), line.port()));
    }
    if (status.userWeight() != line.weight()) {
      commands.add(Command.weight(b, s, line.weight()));
    }
    if (want != ServerState.MAINT) {
      commands.add(Command.state(b, s, want.id()));
    }
    return commands;
  }

  private String describe(ServerLine line) {
    return (line.address() == null ? "?" : line.address().getHostAddress()) + ":" + line.port() + " "
        + want(line).id() + " weight " + line.weight();
  }

  /**
   * What the inventory says of each server line, keyed {@code backend/server}: with slots {@code SERVICE/slotN},
   * without them {@code SERVICE/NAME} (the built-in templates name backends after services).
   */
  static Map<String, ServerState> statesOf(Inventory inventory, Slots slots) {
    Map<String, ServerState> states = new HashMap<>();
    for (Service service : inventory.services()) {
      Map<String, Server> byId = new HashMap<>();
      service.servers().forEach(s -> byId.put(s.id(), s));
      if (slots.enabled()) {
        List<String> ids = slots.of(service.name());
        for (int i = 0; i < ids.size(); i++) {
          Server server = byId.get(ids.get(i));
          if (server != null) {
            states.put(service.name() + "/" + Slots.slotName(i + 1), server.state());
          }
        }
      } else {
        service.servers().forEach(s -> states.put(service.name() + "/" + s.name(), s.state()));
      }
    }
    return states;
  }
}
