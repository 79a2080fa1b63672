package dev.haproxysd.state;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import dev.haproxysd.model.RenderKey;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
import dev.haproxysd.model.TemplateFile;
import dev.haproxysd.model.UnsafeValueException;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON form of an {@link AppliedState} ({@code state.json}, {@code "version": 1}). Files written before
 * {@code live}, {@code proof}, {@code slots} and {@code render} existed still read: the proof then follows {@code
 * reloaded} and {@code live}, slots are unknown, and without a render key the next apply renders.
 */
final class AppliedStateJson {
  static final int VERSION = 1;

  private AppliedStateJson() {}

  static String format(AppliedState s) {
    StringWriter text = new StringWriter();
    try (JsonWriter json = new JsonWriter(text)) {
      json.setIndent("  ");
      json.beginObject();
      json.name("version").value(VERSION);
      json.name("configFile").value(s.configFile());
      json.name("configSha256").value(s.configSha256().hex());
      json.name("appliedAt").value(s.appliedAt().toString());
      json.name("outcome").value(s.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-'));
      json.name("reloaded").value(s.reloaded());
      if (s.inventorySha256() != null) {
        json.name("inventorySha256").value(s.inventorySha256().hex());
      }
      if (s.failedSha256() != null) {
        json.name("failedSha256").value(s.failedSha256().hex());
      }
      json.name("live").value(s.live());
      if (s.proof() == AppliedState.Proof.ADOPTED) { // the others follow from reloaded and live
        json.name("proof").value("adopted");
      }
      if (s.slots() != null) {
        writeSlots(json, s.slots());
      }
      if (s.renderKey().isPresent()) {
        writeRenderKey(json, s.renderKey().get());
      }
      json.endObject();
    } catch (IOException e) {
      throw new IllegalStateException("a StringWriter does not fail", e);
    }
    return text + "\n";
  }

  private static void writeSlots(JsonWriter json, Slots slots) throws IOException {
    json.name("slots").beginObject();
    json.name("rule").value(slots.rule());
    json.name("services").beginObject();
    for (Map.Entry<String, List<String>> service : slots.services().entrySet()) {
      json.name(service.getKey()).beginArray();
      for (String id : service.getValue()) {
        if (Slots.FREE.equals(id)) {
          json.nullValue();
        } else {
          json.value(id);
        }
      }
      json.endArray();
    }
    json.endObject();
    json.endObject();
  }

  private static void writeRenderKey(JsonWriter json, RenderKey key) throws IOException {
    json.name("render").beginObject();
    json.name("key").value(key.digest().hex());
    json.name("config").value(key.config().hex());
    json.name("build").value(key.build());
    json.name("template").value(key.template());
    json.name("templateFiles").beginObject();
    for (TemplateFile file : key.files()) {
      json.name(file.name());
      if (file.present()) {
        json.value(file.sha256().hex());
      } else {
        json.nullValue();
      }
    }
    json.endObject();
    json.endObject();
  }

  /** @throws IllegalArgumentException naming what is wrong: not JSON, a newer version, a missing field... */
  static AppliedState parse(String text) {
    JsonObject o;
    try {
      JsonElement root = JsonParser.parseString(text);
      if (!root.isJsonObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      o = root.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    int version = intField(o, "version");
    if (version > VERSION) {
      throw new IllegalArgumentException("written by a newer haproxy-sd: version " + version + ", this one reads "
          + VERSION);
    }
    if (version != VERSION) {
      throw new IllegalArgumentException("version " + version + ", expected " + VERSION);
    }
    try {
      boolean reloaded = bool(o, "reloaded");
      boolean live = o.has("live") ? bool(o, "live") : reloaded;
      String named = string(o, "proof", false);
      AppliedState.Proof proof = named != null
          ? AppliedState.Proof.valueOf(named.toUpperCase(Locale.ROOT).replace('-', '_'))
          : reloaded ? AppliedState.Proof.RELOAD : live ? AppliedState.Proof.RUNTIME_API : AppliedState.Proof.NONE;
      return new AppliedState(
          string(o, "configFile", true),
          sha(o, "configSha256", true),
          Instant.parse(string(o, "appliedAt", true)),
          AppliedState.Result.valueOf(string(o, "outcome", true).toUpperCase(Locale.ROOT).replace('-', '_')),
          proof,
          new AppliedState.Origin(sha(o, "inventorySha256", false), slots(o.get("slots")),
              renderKey(o.get("render"))),
          sha(o, "failedSha256", false));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("appliedAt is not an ISO-8601 instant", e);
    }
  }

  private static Sha256 sha(JsonObject o, String name, boolean required) {
    String hex = string(o, name, required);
    if (hex == null) {
      return null;
    }
    try {
      return new Sha256(hex);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " (" + hex + ") is not a lower-case hex SHA-256", e);
    }
  }

  private static RenderKey renderKey(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonObject()) {
      throw new IllegalArgumentException("\"render\" is not an object");
    }
    JsonObject o = e.getAsJsonObject();
    JsonElement files = o.get("templateFiles");
    if (files == null || !files.isJsonObject()) {
      throw new IllegalArgumentException("\"render.templateFiles\" is missing or not an object");
    }
    List<TemplateFile> read = new ArrayList<>();
    for (Map.Entry<String, JsonElement> file : files.getAsJsonObject().entrySet()) {
      read.add(new TemplateFile(file.getKey(), sha(files.getAsJsonObject(), file.getKey(), false)));
    }
    return new RenderKey(sha(o, "key", true), sha(o, "config", true), string(o, "build", true),
        string(o, "template", true), read);
  }

  private static Slots slots(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonObject()) {
      throw new IllegalArgumentException("\"slots\" is not an object");
    }
    JsonObject o = e.getAsJsonObject();
    JsonElement services = o.get("services");
    if (services == null || !services.isJsonObject()) {
      throw new IllegalArgumentException("\"slots.services\" is missing or not an object");
    }
    TreeMap<String, List<String>> map = new TreeMap<>();
    for (Map.Entry<String, JsonElement> service : services.getAsJsonObject().entrySet()) {
      if (!service.getValue().isJsonArray()) {
        throw new IllegalArgumentException("\"slots.services\" of " + service.getKey() + " is not an array");
      }
      List<String> ids = new ArrayList<>();
      for (JsonElement id : service.getValue().getAsJsonArray()) {
        if (id.isJsonNull()) {
          ids.add(Slots.FREE);
        } else if (id.isJsonPrimitive() && id.getAsJsonPrimitive().isString() && !id.getAsString().isEmpty()) {
          ids.add(id.getAsString());
        } else {
          throw new IllegalArgumentException("a slot of " + service.getKey() + " is neither a server id nor null");
        }
      }
      map.put(service.getKey(), ids);
    }
    try {
      return new Slots(string(o, "rule", true), map);
    } catch (UnsafeValueException e2) {
      throw new IllegalArgumentException(e2.getMessage(), e2);
    }
  }

  private static String string(JsonObject o, String name, boolean required) {
    JsonElement e = o.get(name);
    if (e == null || e.isJsonNull()) {
      if (required) {
        throw new IllegalArgumentException("missing \"" + name + "\"");
      }
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("\"" + name + "\" is not a string");
    }
    return e.getAsString();
  }

  private static int intField(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new IllegalArgumentException("\"" + name + "\" is missing or not a number");
    }
    return e.getAsInt();
  }

  private static boolean bool(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw new IllegalArgumentException("\"" + name + "\" is missing or not true/false");
    }
    return e.getAsBoolean();
  }
}
