package dev.haproxysd.render;

import dev.haproxysd.discovery.InventoryJson;
import dev.haproxysd.model.Inventory;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The golden-file fixtures of one built-in template: {@code golden/NAME.json} (inventory), {@code NAME.vars}
 * (properties, the {@code --var}s) and {@code NAME.cfg} (the expected output). Read from the source tree so that
 * {@code -Dgolden.update=true} can rewrite the expected files in place.
 */
record TemplateFixture(String name) {
  static final Path DIR = Path.of("src", "test", "resources", "dev", "haproxysd", "render", "golden");

  Inventory inventory() throws IOException {
    try (Reader in = Files.newBufferedReader(DIR.resolve(name + ".json"), StandardCharsets.UTF_8)) {
      return InventoryJson.read(in, name + ".json");
    }
  }

  SortedMap<String, String> vars() throws IOException {
    Properties p = new Properties();
    p.load(new StringReader(Files.readString(DIR.resolve(name + ".vars"), StandardCharsets.UTF_8)));
    SortedMap<String, String> vars = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> vars.put(k, p.getProperty(k)));
    return vars;
  }

  /** The fixture's vars with {@code overrides} on top (e.g. unprivileged binds and paths in a temp dir). */
  SortedMap<String, String> vars(Map<String, String> overrides) throws IOException {
    SortedMap<String, String> vars = vars();
    vars.putAll(overrides);
    return vars;
  }

  Path expected() {
    return DIR.resolve(name + ".cfg");
  }

  TemplateEngine engine() {
    return TemplateEngine.load(TemplateEngine.BUILTIN_PREFIX + name);
  }

  /** Vars that let a template run as an ordinary user: no chroot, no user/group switch, socket in {@code dir}. */
  static Map<String, String> unprivileged(Path dir) {
    return Map.of(
        "chroot", "none",
        "user", "none",
        "group", "none",
        "stats_socket", dir.resolve("admin.sock").toString());
  }
}
