package dev.haproxysd.cli;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code KEY = VALUE} lines of one config file, each remembered with its line number for error messages. */
final class ConfigFile {
  /** One setting, and where it was made (for "FILE:LINE: KEY: ..." messages). */
  record Entry(String key, String value, String origin) {}

  private ConfigFile() {}

  /**
   * @throws ConfigException naming the file and line for a syntax error, an unknown or repeated key, or an empty
   *     value; naming the file when it cannot be read
   */
  static Map<String, Entry> read(Path file, ConfigKeys keys) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": config file not found");
    } catch (AccessDeniedException e) {
      throw new ConfigException(file + ": config file not readable: permission denied");
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": config file is not UTF-8 text");
    } catch (IOException e) {
      throw new ConfigException(file + ": config file not readable: " + e.getMessage());
    }
    return parse(file.toString(), lines, keys);
  }

  static Map<String, Entry> parse(String fileName, List<String> lines, ConfigKeys keys) {
    Map<String, Entry> entries = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      String at = fileName + ":" + (i + 1);
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int eq = line.indexOf('=');
      if (eq < 0) {
        throw new ConfigException(at + ": expected KEY = VALUE but found '" + line + "'");
      }
      String key = line.substring(0, eq).strip();
      String value = line.substring(eq + 1).strip();
      if (keys.find(key).isEmpty()) {
        throw new ConfigException(at + ": " + unknown(key, keys));
      }
      if (value.isEmpty()) {
        throw new ConfigException(at + ": " + key + ": empty value (comment the line out for the built-in default)");
      }
      Entry before = entries.put(key, new Entry(key, value, at));
      if (before != null) {
        throw new ConfigException(at + ": " + key + ": set twice (first at " + before.origin() + ")");
      }
    }
    return entries;
  }

  private static String unknown(String key, ConfigKeys keys) {
    List<String> instead = keys.alternativesTo(key);
    if (!instead.isEmpty()) {
      return "ambiguous key '" + key + "': it means different things in different commands, use "
          + String.join(" or ", instead);
    }
    return "unknown key '" + key + "' (the keys are the long option names, see the shipped "
        + ConfigDefaults.SYSTEM_FILE + ")";
  }
}
