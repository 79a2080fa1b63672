package dev.haproxysd.haproxy;

import java.util.ArrayList;
import java.util.List;

/** A config's lines without comments and blank lines; enough for the few directives haproxy-sd reads back. */
final class ConfigLines {
  private ConfigLines() {}

  static List<String> of(String config) {
    List<String> lines = new ArrayList<>();
    for (String line : config.split("\\R")) {
      String stripped = stripComment(line).strip();
      if (!stripped.isEmpty()) {
        lines.add(stripped);
      }
    }
    return lines;
  }

  private static String stripComment(String line) {
    int hash = line.indexOf('#');
    while (hash >= 0) {
      if (hash == 0 || Character.isWhitespace(line.charAt(hash - 1))) {
        return line.substring(0, hash);
      }
      hash = line.indexOf('#', hash + 1);
    }
    return line;
  }
}
