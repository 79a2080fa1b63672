package dev.haproxysd.state;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code last-run.json}: {@code {"version": 1, "since": ISO, "exitCode": N, "outcome": NAME, "message": LINE,
 * "confirmRuns": N, "drainMinSeconds": N}}; what is unknown is left out.
 */
final class LastRunJson {
  static final int VERSION = 1;

  private LastRunJson() {}

  static String format(LastRun run) {
    JsonObject o = new JsonObject();
    o.addProperty("version", VERSION);
    o.addProperty("since", run.since().toString());
    o.addProperty("exitCode", run.exitCode());
    if (run.outcome() != null) {
      o.addProperty("outcome", run.outcome());
    }
    if (run.message() != null) {
      o.addProperty("message", run.message());
    }
    o.addProperty("confirmRuns", run.confirmRuns());
    if (run.drainMin() != null) {
      o.addProperty("drainMinSeconds", run.drainMin().toSeconds());
    }
    return o + "\n";
  }

  /** @throws IllegalArgumentException naming what is wrong */
  static LastRun parse(String text) {
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      if (o.get("version").getAsInt() != VERSION) {
        throw new IllegalArgumentException("version " + o.get("version") + ", expected " + VERSION);
      }
      JsonElement drainMin = o.get("drainMinSeconds");
      return new LastRun(Instant.parse(o.get("since").getAsString()), o.get("exitCode").getAsInt(),
          string(o, "outcome"), string(o, "message"), o.get("confirmRuns").getAsInt(), drainMin == null ? null : Duration.ofSeconds(drainMin.getAsLong()));
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
        | NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a last-run record: " + e.getMessage(), e);
    }
  }

  private static String string(JsonObject o, String name) {
    JsonElement e = o.get(name);
    return e == null ? null : e.getAsString();
  }
}
