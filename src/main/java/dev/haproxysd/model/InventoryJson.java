package dev.haproxysd.model;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The versioned JSON form of an inventory. What {@link #write} produces, {@link #read} accepts, byte for byte the
 * same for the same inventory. Unknown fields are refused so that a typo in a hand-written inventory is an error
 * rather than a silently ignored setting.
 *
 * <p>Version 2 adds each service's Auto Scaling {@code groups} ({@link ScalingGroup}); it is written only when some
 * service has them, so an inventory without groups stays version 1, byte for byte as before. Both are read:
 *
 * <pre>{@code
 * {"version": 2, "services": [{"name": "web", "source": "asg", "servers": [...],
 *   "groups": [{"name": "web-asg", "region": "us-east-1", "account": "111122223333", "desiredCapacity": 6,
 *               "members": {"i-0abc": "InService", "i-0def": "Terminating:Wait"}}]}]}
 * }</pre>
 */
public final class InventoryJson {
  /** Without group facts. */
  public static final int VERSION = 1;
  /** With each service's Auto Scaling groups. */
  public static final int VERSION_GROUPS = 2;

  private static final Pattern GSON_LOCATION = Pattern.compile("(.*?) at line (\\d+) column (\\d+)(?: path (\\S+))?.*", Pattern.DOTALL);
  private static final Set<String> TOP_FIELDS = Set.of("version", "services");
  private static final Set<String> SERVICE_FIELDS = Set.of("name", "source", "tags", "servers");
  private static final Set<String> SERVICE_FIELDS_V2 = Set.of("name", "source", "tags", "servers", "groups");
  private static final Set<String> GROUP_FIELDS = Set.of("name", "region", "account", "desiredCapacity", "members");
  private static final Set<String> SERVER_FIELDS =
      Set.of("id", "name", "address", "port", "weight", "state", "zone", "region", "account", "tags");

  private InventoryJson() {}

  /**
   * @param name the file name used in messages
   * @throws InventoryFormatException for malformed JSON or a wrong shape (message: {@code name:line:col: ...} or
   *     {@code name: $.path: ...})
   * @throws UnsafeValueException for a value that may not reach a directive
   */
  public static Inventory read(Reader reader, String name) throws IOException {
    JsonElement root;
    try {
      JsonReader json = new JsonReader(reader);
      json.setStrictness(Strictness.STRICT);
      root = JsonParser.parseReader(json);
    } catch (JsonParseException | IllegalStateException e) {
      throw new InventoryFormatException(name + ":" + describeSyntaxError(e));
    }
    try {
      return new Shape(name).inventory(root);
    } catch (UnsafeValueException e) {
      throw e.within(name);
    }
  }

  /** The inventory {@link #bytes} encoded, as read from a file named {@code name} (used in messages). */
  public static Inventory read(byte[] json, String name) {
    try (Reader reader = new InputStreamReader(new ByteArrayInputStream(json), StandardCharsets.UTF_8)) {
      return read(reader, name);
    } catch (IOException e) {
      throw new UncheckedIOException("a byte array does not fail", e);
    }
  }

  /** Exactly what {@link #write} writes, as UTF-8 bytes. */
  public static byte[] bytes(Inventory inventory) {
    StringWriter out = new StringWriter();
    try {
      write(inventory, out);
    } catch (IOException e) {
      throw new UncheckedIOException("a StringWriter does not fail", e);
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  public static void write(Inventory inventory, Writer out) throws IOException {
    JsonWriter json = new JsonWriter(out);
    json.setIndent("  ");
    json.setHtmlSafe(false);
    json.beginObject();
    json.name("version").value(inventory.hasGroups() ? VERSION_GROUPS : VERSION);
    json.name("services").beginArray();
    for (Service service : inventory.services()) {
      json.beginObject();
      json.name("name").value(service.name());
      json.name("source").value(service.source());
      writeTags(json, service.tags());
      json.name("servers").beginArray();
      for (Server s : service.servers()) {
        json.beginObject();
        json.name("id").value(s.id());
        if (!s.name().equals(s.id())) {
          json.name("name").value(s.name());
        }
        json.name("address").value(s.address().getHostAddress());
        json.name("port").value(s.port());
        json.name("weight").value(s.weight());
        json.name("state").value(s.state().id());
        if (!s.zone().isEmpty()) {
          json.name("zone").value(s.zone());
        }
        // only when set (several regions or an assumed role): a single-region inventory is written as before
        if (!s.region().isEmpty()) {
          json.name("region").value(s.region());
        }
        if (!s.account().isEmpty()) {
          json.name("account").value(s.account());
        }
        writeTags(json, s.tags());
        json.endObject();
      }
      json.endArray();
      writeGroups(json, service.groups());
      json.endObject();
    }
    json.endArray();
    json.endObject();
    json.flush();
    out.write('\n');
    out.flush();
  }

  private static void writeTags(JsonWriter json, Map<String, String> tags) throws IOException {
    if (tags.isEmpty()) {
      return;
    }
    json.name("tags").beginObject();
    for (Map.Entry<String, String> e : tags.entrySet()) {
      json.name(e.getKey()).value(e.getValue());
    }
    json.endObject();
  }

  private static void writeGroups(JsonWriter json, List<ScalingGroup> groups) throws IOException {
    if (groups.isEmpty()) {
      return;
    }
    json.name("groups").beginArray();
    for (ScalingGroup g : groups) {
      json.beginObject();
      json.name("name").value(g.name());
      json.name("region").value(g.region());
      if (!g.account().isEmpty()) {
        json.name("account").value(g.account());
      }
      json.name("desiredCapacity").value(g.desiredCapacity());
      json.name("members").beginObject();
      for (Map.Entry<String, String> m : g.lifecycleStates().entrySet()) {
        json.name(m.getKey()).value(m.getValue());
      }
      json.endObject();
      json.endObject();
    }
    json.endArray();
  }

  private static String describeSyntaxError(RuntimeException e) {
    Throwable cause = e.getCause() != null ? e.getCause() : e;
    String message = String.valueOf(cause.getMessage());
    Matcher m = GSON_LOCATION.matcher(message);
    if (m.matches()) {
      String what = m.group(1).startsWith("End of input") ? "unexpected end of input" : firstSentence(m.group(1));
      return m.group(2) + ":" + m.group(3) + ": malformed JSON: " + what;
    }
    return " malformed JSON: " + firstSentence(message);
  }

  private static String firstSentence(String message) {
    int newline = message.indexOf('\n');
    String line = newline >= 0 ? message.substring(0, newline) : message;
    return line.replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "").trim();
  }

  /** Walks the parsed tree, checking shape; every error names the JSON path. */
  private static final class Shape {
    private final String file;
    private int version;

    Shape(String file) {
      this.file = file;
    }

    Inventory inventory(JsonElement root) {
      JsonObject top = object(root, "$");
      known(top, TOP_FIELDS, "$");
      JsonElement v = required(top, "version", "$");
      double number = v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() ? v.getAsDouble() : Double.NaN;
      if (number != VERSION && number != VERSION_GROUPS) {
        throw error("$.version", "unsupported inventory version " + v + " (this haproxy-sd reads versions " + VERSION
            + " and " + VERSION_GROUPS + ")");
      }
      version = (int) number;
      JsonArray services = array(required(top, "services", "$"), "$.services");
      List<Service> result = new ArrayList<>();
      for (int i = 0; i < services.size(); i++) {
        result.add(service(services.get(i), "$.services[" + i + "]"));
      }
      return new Inventory(result);
    }

    private Service service(JsonElement element, String path) {
      JsonObject o = object(element, path);
      known(o, version == VERSION ? SERVICE_FIELDS : SERVICE_FIELDS_V2, path);
      String name = string(o, "name", path, null);
      String source = string(o, "source", path, "file");
      Map<String, String> tags = tags(o, path);
      JsonArray servers = array(required(o, "servers", path), path + ".servers");
      List<Server> list = new ArrayList<>();
      for (int i = 0; i < servers.size(); i++) {
        String at = path + ".servers[" + i + "]";
        try {
          list.add(server(servers.get(i), at));
        } catch (UnsafeValueException e) {
          throw e.within("service " + SafeValue.quote(name));
        }
      }
      return new Service(name, source, list, tags, groups(o, path));
    }

    private List<ScalingGroup> groups(JsonObject service, String path) {
      JsonElement element = service.get("groups");
      if (element == null) {
        return List.of();
      }
      JsonArray array = array(element, path + ".groups");
      List<ScalingGroup> groups = new ArrayList<>();
      Set<String> seen = new TreeSet<>();
      for (int i = 0; i < array.size(); i++) {
        String at = path + ".groups[" + i + "]";
        ScalingGroup g = group(array.get(i), at);
        if (!seen.add(g.account() + "/" + g.region() + "/" + g.name())) {
          throw error(at, "group " + SafeValue.quote(g.name()) + " of " + g.region()
              + (g.account().isEmpty() ? "" : " and account " + g.account()) + " is listed twice");
        }
        groups.add(g);
      }
      return groups;
    }

    private ScalingGroup group(JsonElement element, String path) {
      JsonObject o = object(element, path);
      known(o, GROUP_FIELDS, path);
      String name = checked(string(o, "name", path, null), ScalingGroup::nameProblem, path + ".name");
      String region = checked(string(o, "region", path, null), ScalingGroup::regionProblem, path + ".region");
      String account = checked(string(o, "account", path, ""), ScalingGroup::accountProblem, path + ".account");
      long desired = integer(o, "desiredCapacity", path, null);
      checked(desired, ScalingGroup::capacityProblem, path + ".desiredCapacity");
      JsonObject members = object(required(o, "members", path), path + ".members");
      Map<String, String> states = new TreeMap<>();
      for (Map.Entry<String, JsonElement> m : members.entrySet()) {
        String at = path + ".members[" + SafeValue.quote(m.getKey()) + "]";
        checked(m.getKey(), ScalingGroup::instanceProblem, at);
        JsonElement state = m.getValue();
        if (!state.isJsonPrimitive() || !state.getAsJsonPrimitive().isString()) {
          throw error(at, "must be a string, got " + kind(state));
        }
        states.put(m.getKey(), checked(state.getAsString(), ScalingGroup::stateProblem, at));
      }
      return new ScalingGroup(name, region, account, (int) desired, states);
    }

    private <T> T checked(T value, Function<T, String> problem, String path) {
      String why = problem.apply(value);
      if (why != null) {
        throw error(path, why);
      }
      return value;
    }

    private Server server(JsonElement element, String path) {
      JsonObject o = object(element, path);
      known(o, SERVER_FIELDS, path);
      String id = string(o, "id", path, null);
      String name = string(o, "name", path, id);
      String addressText = string(o, "address", path, null);
      InetAddress address;
      try {
        address = SafeValue.address("address", addressText);
      } catch (UnsafeValueException e) {
        throw e.within("server " + SafeValue.quote(id));
      }
      long port = integer(o, "port", path, null);
      long weight = integer(o, "weight", path, (long) Server.DEFAULT_WEIGHT);
      String stateText = string(o, "state", path, "ready");
      ServerState state;
      try {
        state = ServerState.parse(stateText);
      } catch (IllegalArgumentException e) {
        throw error(path + ".state", e.getMessage());
      }
      String zone = string(o, "zone", path, "");
      return new Server(id, name, address, (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, port)),
          (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, weight)), state, zone,
          string(o, "region", path, ""), string(o, "account", path, ""), tags(o, path));
    }

    private Map<String, String> tags(JsonObject o, String path) {
      JsonElement element = o.get("tags");
      if (element == null || element.isJsonNull()) {
        return Map.of();
      }
      JsonObject tags = object(element, path + ".tags");
      Map<String, String> result = new TreeMap<>();
      for (Map.Entry<String, JsonElement> e : tags.entrySet()) {
        JsonElement v = e.getValue();
        if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isString()) {
          throw error(path + ".tags." + e.getKey(), "must be a string");
        }
        result.put(e.getKey(), v.getAsString());
      }
      return result;
    }

    private void known(JsonObject o, Set<String> fields, String path) {
      for (String key : o.keySet()) {
        if (!fields.contains(key)) {
          throw error(path, "unknown field " + SafeValue.quote(key) + " (expected one of " + String.join(", ", new TreeSet<>(fields)) + ")");
        }
      }
    }

    private JsonElement required(JsonObject o, String field, String path) {
      JsonElement e = o.get(field);
      if (e == null || e.isJsonNull()) {
        throw error(path, "missing field '" + field + "'");
      }
      return e;
    }

    private String string(JsonObject o, String field, String path, String fallback) {
      JsonElement e = fallback == null ? required(o, field, path) : o.get(field);
      if (e == null || e.isJsonNull()) {
        return fallback;
      }
      if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
        throw error(path + "." + field, "must be a string, got " + kind(e));
      }
      return e.getAsString();
    }

    private long integer(JsonObject o, String field, String path, Long fallback) {
      JsonElement e = fallback == null ? required(o, field, path) : o.get(field);
      if (e == null || e.isJsonNull()) {
        return fallback;
      }
      if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
        JsonPrimitive p = e.getAsJsonPrimitive();
        double d = p.getAsDouble();
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
          return (long) d;
        }
      }
      throw error(path + "." + field, "must be a whole number, got " + kind(e));
    }

    private JsonObject object(JsonElement e, String path) {
      if (!e.isJsonObject()) {
        throw error(path, "must be an object, got " + kind(e));
      }
      return e.getAsJsonObject();
    }

    private JsonArray array(JsonElement e, String path) {
      if (!e.isJsonArray()) {
        throw error(path, "must be an array, got " + kind(e));
      }
      return e.getAsJsonArray();
    }

    private static String kind(JsonElement e) {
      if (e.isJsonObject()) {
        return "an object";
      }
      if (e.isJsonArray()) {
        return "an array";
      }
      if (e.isJsonNull()) {
        return "null";
      }
      JsonPrimitive p = e.getAsJsonPrimitive();
      return p.isString() ? "a string" : p.isBoolean() ? "a boolean" : "the number " + p.getAsString();
    }

    private InventoryFormatException error(String path, String message) {
      return new InventoryFormatException(file + ": " + path + ": " + message);
    }
  }
}
