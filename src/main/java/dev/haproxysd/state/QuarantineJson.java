package dev.haproxysd.state;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.haproxysd.model.Sha256;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code quarantine.json}: {@code {"version": 1, "configs": [{"sha256": …, "failedAt": ISO, "reason": …}]}},
 * newest first.
 */
final class QuarantineJson {
  static final int VERSION = 1;

  private QuarantineJson() {}

  static String format(List<QuarantinedConfig> configs) {
    JsonObject o = new JsonObject();
    o.addProperty("version", VERSION);
    JsonArray list = new JsonArray();
    for (QuarantinedConfig c : configs) {
      JsonObject entry = new JsonObject();
      entry.addProperty("sha256", c.config().hex());
      entry.addProperty("failedAt", c.failedAt().toString());
      entry.addProperty("reason", c.reason());
      list.add(entry);
    }
    o.add("configs", list);
    return o + "\n";
  }

  /** @throws IllegalArgumentException naming what is wrong */
  static List<QuarantinedConfig> parse(String text) {
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      if (o.get("version").getAsInt() != VERSION) {
        throw new IllegalArgumentException("version " + o.get("version") + ", expected " + VERSION);
      }
      List<QuarantinedConfig> configs = new ArrayList<>();
      for (JsonElement e : o.getAsJsonArray("configs")) {
        JsonObject entry = e.getAsJsonObject();
        configs.add(new QuarantinedConfig(new Sha256(entry.get("sha256").getAsString()),
            Instant.parse(entry.get("failedAt").getAsString()), entry.get("reason").getAsString()));
      }
      return configs;
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
        | ClassCastException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a quarantine list: " + e.getMessage(), e);
    }
  }
}
