package dev.haproxysd.state;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code lifecycle.json}: {@code {"version": 1, "draining": [{"group": NAME, "instance": ID, "firstSeen": ISO,
 * "lastHeartbeat": ISO, "completed": ISO}]}}; the last two are left out until they happen.
 */
final class DrainingJson {
  static final int VERSION = 1;

  private DrainingJson() {}

  static String format(List<DrainingInstance> draining) {
    JsonArray list = new JsonArray();
    for (DrainingInstance d : draining) {
      JsonObject o = new JsonObject();
      o.addProperty("group", d.group());
      o.addProperty("instance", d.instance());
      o.addProperty("firstSeen", d.firstSeen().toString());
      if (d.lastHeartbeat() != null) {
        o.addProperty("lastHeartbeat", d.lastHeartbeat().toString());
      }
      if (d.completed() != null) {
        o.addProperty("completed", d.completed().toString());
      }
      list.add(o);
    }
    JsonObject root = new JsonObject();
    root.addProperty("version", VERSION);
    root.add("draining", list);
    return root + "\n";
  }

  /** @throws IllegalArgumentException naming what is wrong */
  static List<DrainingInstance> parse(String text) {
    try {
      JsonObject root = JsonParser.parseString(text).getAsJsonObject();
      if (root.get("version").getAsInt() != VERSION) {
        throw new IllegalArgumentException("version " + root.get("version") + ", expected " + VERSION);
      }
      List<DrainingInstance> draining = new ArrayList<>();
      for (JsonElement e : root.getAsJsonArray("draining")) {
        JsonObject o = e.getAsJsonObject();
        draining.add(new DrainingInstance(o.get("group").getAsString(), o.get("instance").getAsString(),
            Instant.parse(o.get("firstSeen").getAsString()), instant(o, "lastHeartbeat"), instant(o, "completed")));
      }
      return List.copyOf(draining);
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
        | DateTimeParseException e) {
      throw new IllegalArgumentException("not a lifecycle state: " + e.getMessage(), e);
    }
  }

  private static Instant instant(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e == null || e.isJsonNull() ? null : Instant.parse(e.getAsString());
  }
}
