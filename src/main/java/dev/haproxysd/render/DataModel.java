package dev.haproxysd.render;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
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

  static SimpleHash of(Inventory inventory, SortedMap<String, String> vars) {
    SimpleHash root = hash();
    SimpleSequence services = new SimpleSequence(inventory.services().size(), WRAPPER);
    for (Service service : inventory.services()) {
      services.add(service(service));
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

  private static SimpleHash service(Service service) {
    SimpleHash s = hash();
    s.put("name", service.name());
    s.put("source", service.source());
    String owner = "service " + SafeValue.quote(service.name());
    s.put("tags", new CheckedValues(owner + " tag", service.tags()));
    SimpleSequence servers = new SimpleSequence(service.servers().size(), WRAPPER);
    int ready = 0;
    for (Server server : service.servers()) {
      servers.add(server(owner, server));
      if (server.state() == ServerState.READY) {
        ready++;
      }
    }
    s.put("servers", servers);
    s.put("readyCount", new SimpleNumber(ready));
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
