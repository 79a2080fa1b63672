package dev.haproxysd.state;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.haproxysd.model.Sha256;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** {@code pending-shrink.json}: {@code {"version": 1, "removals": SHA256, "servers": N, "firstSeen": ISO, "runs": N}}. */
final class PendingShrinkJson {
  static final int VERSION = 1;

  private PendingShrinkJson() {}

  static String format(PendingShrink p) {
    JsonObject o = new JsonObject();
    o.addProperty("version", VERSION);
    o.addProperty("removals", p.removals().hex());
    o.addProperty("servers", p.servers());
    o.addProperty("firstSeen", p.firstSeen().toString());
    o.addProperty("runs", p.runs());
    return o + "\n";
  }

  /** @throws IllegalArgumentException naming what is wrong */
  static PendingShrink parse(String text) {
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      if (o.get("version").getAsInt() != VERSION) {
        throw new IllegalArgumentException("version " + o.get("version") + ", expected " + VERSION);
      }
      return new PendingShrink(new Sha256(o.get("removals").getAsString()), o.get("servers").getAsInt(),
          Instant.parse(o.get("firstSeen").getAsString()), o.get("runs").getAsInt());
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
        | DateTimeParseException e) {
      throw new IllegalArgumentException("not a pending shrink: " + e.getMessage(), e);
    }
  }
}
