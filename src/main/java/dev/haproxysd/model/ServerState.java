package dev.haproxysd.model;

import java.util.Locale;

/** The administrative state haproxy-sd asks haproxy to give a server. */
public enum ServerState {
  READY,
  DRAIN,
  MAINT;

  /** The lower-case form used in the inventory JSON, templates and haproxy's runtime API. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code ready}, {@code drain} or {@code maint}; throws naming the accepted values otherwise. */
  public static ServerState parse(String text) {
    for (ServerState s : values()) {
      if (s.id().equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        "unknown state " + SafeValue.quote(text) + " (expected ready, drain or maint)");
  }
}
