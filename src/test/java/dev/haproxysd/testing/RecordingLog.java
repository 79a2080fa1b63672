package dev.haproxysd.testing;

import dev.haproxysd.model.Log;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link Log} that keeps every line, prefixed with its level, for assertions. */
public final class RecordingLog implements Log {
  private final List<String> lines = new CopyOnWriteArrayList<>();

  @Override
  public void debug(String message) {
    lines.add("debug: " + message);
  }

  @Override
  public void info(String message) {
    lines.add("info: " + message);
  }

  @Override
  public void warn(String message) {
    lines.add("warning: " + message);
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public List<String> warnings() {
    return lines.stream().filter(l -> l.startsWith("warning: ")).toList();
  }

  /** The warnings as they were given, without the level. */
  public List<String> warningMessages() {
    return warnings().stream().map(l -> l.substring("warning: ".length())).toList();
  }
}
