package dev.haproxysd.fleet;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A drain report's JSON: {@code {"version": 1, "balancer": NAME, "written": ISO, "draining": [{"group": NAME,
 * "instance": ID, "since": ISO, "sessions": N, "drained": BOOL}]}}. Parsing is strict, since anyone allowed to write
 * under the prefix can put anything there: exactly these fields with these types, bounded sizes, names that are
 * plain tokens.
 */
final class DrainReportJson {
  static final int VERSION = 1;
  /** Far above a real report (a few hundred bytes an instance); a bigger object is not read. */
  static final int MAX_BYTES = 1 << 20;
  static final int MAX_INSTANCES = 5000;
  private static final Set<String> TOP = Set.of("version", "balancer", "written", "draining");
  private static final Set<String> ENTRY = Set.of("group", "instance", "since", "sessions", "drained");
  // Auto Scaling group names: 1-255 characters, no control characters; instance ids are plain tokens
  private static final Pattern GROUP = Pattern.compile("[^\\p{Cntrl}]{1,255}");
  private static final Pattern INSTANCE = Pattern.compile("[A-Za-z0-9-]{1,64}");

  private DrainReportJson() {}

  static byte[] format(DrainReport report) {
    JsonArray draining = new JsonArray();
    for (DrainReport.Draining d : report.draining()) {
      JsonObject o = new JsonObject();
      o.addProperty("group", d.group());
      o.addProperty("instance", d.instance());
      o.addProperty("since", d.since().toString());
      o.addProperty("sessions", d.sessions());
      o.addProperty("drained", d.drained());
      draining.add(o);
    }
    JsonObject root = new JsonObject();
    root.addProperty("version", VERSION);
    root.addProperty("balancer", report.balancer());
    root.addProperty("written", report.written().toString());
    root.add("draining", draining);
    return (root + "\n").getBytes(StandardCharsets.UTF_8);
  }

  /**
   * @param balancer the name the object's key gives: the report must be that balancer's
   * @throws IllegalArgumentException naming the first thing wrong
   */
  static DrainReport parse(byte[] body, String balancer) {
    if (body.length > MAX_BYTES) {
      throw new IllegalArgumentException("larger than " + MAX_BYTES + " bytes");
    }
    try {
      String text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
      JsonReader reader = new JsonReader(new StringReader(text));
      reader.setStrictness(Strictness.STRICT);
      JsonElement parsed = JsonParser.parseReader(reader);
      if (reader.peek() != JsonToken.END_DOCUMENT) {
        throw new IllegalArgumentException("more than one JSON value");
      }
      JsonObject root = object(parsed, "the report", TOP);
      if (integer(root, "version", 1, 1_000_000) != VERSION) {
        throw new IllegalArgumentException("version " + root.get("version") + ", expected " + VERSION);
      }
      String name = string(root, "balancer", DrainReport.BALANCER);
      if (!name.equals(balancer)) {
        throw new IllegalArgumentException("it says it is balancer '" + name + "', its key says '" + balancer + "'");
      }
      JsonElement list = root.get("draining");
      if (!list.isJsonArray() || list.getAsJsonArray().size() > MAX_INSTANCES) {
        throw new IllegalArgumentException("'draining' is not a list of at most " + MAX_INSTANCES + " instances");
      }
      List<DrainReport.Draining> draining = new ArrayList<>();
      for (JsonElement e : list.getAsJsonArray()) {
        JsonObject o = object(e, "an entry of 'draining'", ENTRY);
        draining.add(new DrainReport.Draining(string(o, "group", GROUP), string(o, "instance", INSTANCE),
            instant(o, "since"), integer(o, "sessions", -1, Integer.MAX_VALUE), bool(o, "drained")));
      }
      return new DrainReport(name, instant(root, "written"), draining);
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not UTF-8");
    } catch (JsonParseException | IllegalStateException | java.io.IOException e) {
      String why = String.valueOf(e.getMessage()).lines().findFirst().orElse("")
          .replace("Use JsonReader.setStrictness(Strictness.LENIENT) to accept malformed JSON", "malformed JSON");
      throw new IllegalArgumentException("not JSON: " + why.strip());
    }
  }

  private static JsonObject object(JsonElement e, String what, Set<String> fields) {
    if (!e.isJsonObject()) {
      throw new IllegalArgumentException(what + " is not a JSON object");
    }
    JsonObject o = e.getAsJsonObject();
    if (!o.keySet().equals(fields)) {
      // the names found are not repeated: they are the writer's, and may be anything
      throw new IllegalArgumentException(what + " does not have exactly the fields " + new java.util.TreeSet<>(fields));
    }
    return o;
  }

  private static JsonPrimitive primitive(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (!e.isJsonPrimitive()) {
      throw new IllegalArgumentException("'" + name + "' is not a plain value");
    }
    return e.getAsJsonPrimitive();
  }

  private static String string(JsonObject o, String name, Pattern allowed) {
    JsonPrimitive p = primitive(o, name);
    if (!p.isString() || !allowed.matcher(p.getAsString()).matches()) {
      throw new IllegalArgumentException("'" + name + "' is not a valid name");
    }
    return p.getAsString();
  }

  private static int integer(JsonObject o, String name, long min, long max) {
    JsonPrimitive p = primitive(o, name);
    if (!p.isNumber() || !p.getAsString().matches("-?[0-9]{1,10}")) {
      throw new IllegalArgumentException("'" + name + "' is not a whole number");
    }
    long n = Long.parseLong(p.getAsString());
    if (n < min || n > max) {
      throw new IllegalArgumentException("'" + name + "' is " + n + ", outside " + min + ".." + max);
    }
    return (int) n;
  }

  private static boolean bool(JsonObject o, String name) {
    JsonPrimitive p = primitive(o, name);
    if (!p.isBoolean()) {
      throw new IllegalArgumentException("'" + name + "' is not true or false");
    }
    return p.getAsBoolean();
  }

  private static Instant instant(JsonObject o, String name) {
    JsonPrimitive p = primitive(o, name);
    try {
      if (!p.isString() || p.getAsString().length() > 40) {
        throw new DateTimeParseException("not a string", "", 0);
      }
      return Instant.parse(p.getAsString());
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + name + "' is not an ISO-8601 instant");
    }
  }
}
