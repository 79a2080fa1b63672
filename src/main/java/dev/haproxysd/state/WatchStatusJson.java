package dev.haproxysd.state;

import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/**
 * {@code watch.json}: {@code {"version": 1, "pid": N, "startedAt": ISO, "intervalMillis": N, "cycles": N,
 * "lastCycleStartedAt": ISO, "lastCycleFinishedAt": ISO, "lastExitCode": N, "failuresInARow": N, "nextCycleAt":
 * ISO}}.
 */
final class WatchStatusJson {
  static final int VERSION = 1;

  private WatchStatusJson() {}

  static String format(WatchStatus w) {
    JsonObject o = new JsonObject();
    o.addProperty("version", VERSION);
    o.addProperty("pid", w.pid());
    o.addProperty("startedAt", w.startedAt().toString());
    o.addProperty("intervalMillis", w.interval().toMillis());
    o.addProperty("cycles", w.cycles());
    o.addProperty("lastCycleStartedAt", w.lastCycleStartedAt().toString());
    o.addProperty("lastCycleFinishedAt", w.lastCycleFinishedAt().toString());
    o.addProperty("lastExitCode", w.lastExitCode());
    o.addProperty("failuresInARow", w.failuresInARow());
    o.addProperty("nextCycleAt", w.nextCycleAt().toString());
    return o + "\n";
  }

  /** @throws IllegalArgumentException naming what is wrong */
  static WatchStatus parse(String text) {
    try {
      JsonObject o = JsonParser.parseString(text).getAsJsonObject();
      if (o.get("version").getAsInt() != VERSION) {
        throw new IllegalArgumentException("version " + o.get("version") + ", expected " + VERSION);
      }
      return new WatchStatus(o.get("pid").getAsLong(), instant(o, "startedAt"),
          Duration.ofMillis(o.get("intervalMillis").getAsLong()), o.get("cycles").getAsLong(),
          instant(o, "lastCycleStartedAt"), instant(o, "lastCycleFinishedAt"), o.get("lastExitCode").getAsInt(),
          o.get("failuresInARow").getAsInt(), instant(o, "nextCycleAt"));
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
        | NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("not a watch status: " + e.getMessage(), e);
    }
  }

  private static Instant instant(JsonObject o, String name) {
    return Instant.parse(o.get(name).getAsString());
  }
}
