package dev.haproxysd.render;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.Slots;
import dev.haproxysd.model.UnsafeValueException;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapperBuilder;
import freemarker.template.ObjectWrapper;
import freemarker.template.SimpleHash;
import freemarker.template.SimpleNumber;
import freemarker.template.SimpleScalar;
import freemarker.template.SimpleSequence;
import freemarker.template.TemplateBooleanModel;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import java.util.SortedMap;
import java.util.function.BinaryOperator;

/**
 * Builds what a template sees, from template models only: no Java object is ever handed to FreeMarker, so a
 * template cannot reach a method, a class or a file through the data. The shape is documented in the README
 * ("Template data model").
 */
final class DataModel {
  static final ObjectWrapper WRAPPER =
      new DefaultObjectWrapperBuilder(Configuration.VERSION_2_3_34).build();

  private DataModel() {}

  /** Where a free slot points: nothing listens on port 1 of the loopback, and the slot is disabled anyway. */
  static final String PLACEHOLDER = "127.0.0.1:1";

  static SimpleHash of(Inventory inventory, SortedMap<String, String> vars, Slots slots) {
    SimpleHash root = hash();
    SimpleSequence services = new SimpleSequence(inventory.services().size(), WRAPPER);
    for (Service service : inventory.services()) {
      services.add(service(service, slots));
    }
    root.put("services", services);
    SimpleHash inv = hash();
    inv.put("services", services);
    inv.put("serverCount", new SimpleNumber(inventory.serverCount()));
    root.put("inventory", inv);
    root.put("vars", new CheckedValues("--var", vars));
    root.put("host", checker("host", SafeValue::hostName));
    root.put("name", checker("name", SafeValue::name));
    return root;
  }

  private static SimpleHash service(Service service, Slots slots) {
    SimpleHash s = hash();
    s.put("name", service.name());
    s.put("source", service.source());
    String owner = "service " + SafeValue.quote(service.name());
    s.put("tags", new CheckedValues(owner + " tag", service.tags()));
    SimpleSequence servers = new SimpleSequence(service.servers().size(), WRAPPER);
    java.util.Map<String, SimpleHash> byId = new java.util.HashMap<>();
    int ready = 0;
    for (Server server : service.servers()) {
      SimpleHash model = server(owner, server);
      servers.add(model);
      byId.put(server.id(), model);
      if (server.state() == ServerState.READY) {
        ready++;
      }
    }
    s.put("servers", servers);
    s.put("readyCount", new SimpleNumber(ready));
    s.put("slots", slots(service, slots, byId));
    return s;
  }

  /**
   * With slots: one entry per slot, named {@code slotN}, the server in it or none (free). Without ({@code --slots
   * 0}): one entry per server, named as the server, so a template that lists slots works either way.
   */
  private static SimpleSequence slots(Service service, Slots slots, java.util.Map<String, SimpleHash> byId) {
    if (!slots.enabled()) {
      SimpleSequence sequence = new SimpleSequence(service.servers().size(), WRAPPER);
      int index = 1;
      for (Server server : service.servers()) {
        sequence.add(slot(server.name(), index++, byId.get(server.id()), server.endpoint()));
      }
      return sequence;
    }
    java.util.List<String> ids = slots.of(service.name());
    SimpleSequence sequence = new SimpleSequence(ids.size(), WRAPPER);
    java.util.Map<String, Server> servers = new java.util.HashMap<>();
    service.servers().forEach(server -> servers.put(server.id(), server));
    for (int i = 0; i < ids.size(); i++) {
      Server server = servers.get(ids.get(i));
      sequence.add(slot(Slots.slotName(i + 1), i + 1, server == null ? null : byId.get(server.id()),
          server == null ? PLACEHOLDER : server.endpoint()));
    }
    return sequence;
  }

  private static SimpleHash slot(String name, int index, SimpleHash server, String endpoint) {
    SimpleHash s = hash();
    s.put("name", name);
    s.put("index", new SimpleNumber(index));
    s.put("free", bool(server == null));
    s.put("endpoint", endpoint);
    if (server != null) {
      s.put("server", server);
    }
    return s;
  }

  private static SimpleHash server(String serviceOwner, Server server) {
    SimpleHash s = hash();
    s.put("id", server.id());
    s.put("name", server.name());
    s.put("address", server.address().getHostAddress());
    s.put("port", new SimpleNumber(server.port()));
    s.put("endpoint", server.endpoint());
    s.put("weight", new SimpleNumber(server.weight()));
    s.put("state", server.state().id());
    s.put("ready", bool(server.state() == ServerState.READY));
    s.put("drain", bool(server.state() == ServerState.DRAIN));
    s.put("maint", bool(server.state() == ServerState.MAINT));
    s.put("zone", server.zone());
    s.put("region", server.region());
    s.put("account", server.account());
    s.put("tags", new CheckedValues(serviceOwner + " server " + SafeValue.quote(server.id()) + " tag", server.tags()));
    return s;
  }

  /** {@code host(x)} / {@code name(x)}: return x if it passes the check, else stop the render naming x. */
  private static TemplateMethodModelEx checker(String function, BinaryOperator<String> check) {
    return arguments -> {
      if (arguments.size() != 1 || !(arguments.get(0) instanceof TemplateScalarModel)) {
        throw new TemplateModelException(function + "() takes exactly one string argument");
      }
      String value = ((TemplateScalarModel) arguments.get(0)).getAsString();
      try {
        return new SimpleScalar(check.apply(function + "()", value));
      } catch (UnsafeValueException e) {
        throw new TemplateModelException(e.getMessage(), e);
      }
    };
  }

  private static TemplateModel bool(boolean value) {
    return value ? TemplateBooleanModel.TRUE : TemplateBooleanModel.FALSE;
  }

  private static SimpleHash hash() {
    return new SimpleHash(new java.util.LinkedHashMap<>(), WRAPPER, 0);
  }
}
