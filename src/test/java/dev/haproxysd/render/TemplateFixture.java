package dev.haproxysd.render;

import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.testing.HaproxyInstance;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * One golden case of a built-in template: {@code golden/BUILTIN/CASE.json} (inventory), {@code CASE.vars}
 * (optional properties, the {@code --var}s) and {@code CASE.cfg} (expected output, see {@link BuiltinTemplatesTest}).
 */
record TemplateFixture(String builtin, String name) {
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  /** Every case of every built-in, in a stable order. */
  static List<TemplateFixture> all() throws IOException {
    List<TemplateFixture> all = new ArrayList<>();
    for (String builtin : TemplateEngine.BUILTINS) {
      try (Stream<Path> files = Files.list(GOLDEN.resolve(builtin))) {
        files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".json")).sorted()
            .forEach(f -> all.add(new TemplateFixture(builtin, f.substring(0, f.length() - ".json".length()))));
      }
    }
    return all;
  }

  Inventory inventory() throws IOException {
    try (Reader in = Files.newBufferedReader(GOLDEN.resolve(builtin).resolve(name + ".json"), StandardCharsets.UTF_8)) {
      return InventoryJson.read(in, name + ".json");
    }
  }

  /** The case's vars with {@code overrides} on top (e.g. unprivileged binds and paths in a temp dir). */
  SortedMap<String, String> vars(Map<String, String> overrides) throws IOException {
    SortedMap<String, String> vars = new TreeMap<>();
    Path file = GOLDEN.resolve(builtin).resolve(name + ".vars");
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      }
      p.stringPropertyNames().forEach(k -> vars.put(k, p.getProperty(k)));
    }
    vars.putAll(overrides);
    return vars;
  }

  String render(Map<String, String> overrides) throws IOException {
    return TemplateEngine.load(TemplateEngine.BUILTIN_PREFIX + builtin).render(inventory(), vars(overrides)).text();
  }

  @Override
  public String toString() {
    return builtin + "/" + name;
  }

  /**
   * Vars that let a template run as an ordinary user: no chroot, no user/group switch, socket and server-state-file
   * in {@code dir} (the latter created as apply creates it, or haproxy warns about a missing one).
   */
  static Map<String, String> unprivileged(Path dir) {
    return unprivileged(dir, dir.resolve("admin.sock"));
  }

  /** {@link #unprivileged(Path)} with the runtime API on the harness's stats socket. */
  static Map<String, String> unprivileged(HaproxyInstance.Layout layout) {
    return unprivileged(layout.dir(), layout.statsSocket());
  }

  private static Map<String, String> unprivileged(Path dir, Path statsSocket) {
    return Map.of(
        "chroot", "none",
        "user", "none",
        "group", "none",
        "stats_socket", statsSocket.toString(),
        "server_state_file", serverStateFile(dir));
  }

  /** An empty server-state-file in {@code dir}, as apply writes it before its first reload. */
  static String serverStateFile(Path dir) {
    Path file = dir.resolve("server-state");
    try {
      Files.writeString(file, "1\n");
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file.toString();
  }
}
