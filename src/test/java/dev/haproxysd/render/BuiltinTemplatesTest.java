package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: {@code src/test/resources/golden/BUILTIN/CASE.json} renders to {@code CASE.cfg} (with template
 * variables from {@code CASE.vars}, if present). Regenerate with {@code mvn test -Dgolden.update=true} and review
 * the diff.
 */
class BuiltinTemplatesTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden");

  static Stream<Arguments> cases() throws IOException {
    List<Arguments> cases = new ArrayList<>();
    for (String builtin : TemplateEngine.BUILTINS) {
      try (Stream<Path> files = Files.list(GOLDEN.resolve(builtin))) {
        files.filter(f -> f.toString().endsWith(".json")).sorted()
            .forEach(f -> cases.add(Arguments.of(builtin, f.getFileName().toString().replace(".json", ""))));
      }
    }
    return cases.stream();
  }

  private static Inventory inventory(Path json) throws IOException {
    try (Reader reader = Files.newBufferedReader(json)) {
      return InventoryJson.read(reader, json.toString());
    }
  }

  private static TreeMap<String, String> vars(Path file) throws IOException {
    TreeMap<String, String> vars = new TreeMap<>();
    if (Files.exists(file)) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(file)) {
        p.load(r);
      }
      p.stringPropertyNames().forEach(k -> vars.put(k, p.getProperty(k)));
    }
    return vars;
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("cases")
  void rendersTheGoldenFile(String builtin, String name) throws IOException {
    Path dir = GOLDEN.resolve(builtin);
    Rendered rendered = TemplateEngine.load("builtin:" + builtin)
        .render(inventory(dir.resolve(name + ".json")), vars(dir.resolve(name + ".vars")));
    Path golden = dir.resolve(name + ".cfg");
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(golden, rendered.text(), StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(golden, StandardCharsets.UTF_8), rendered.text());
  }

  @ParameterizedTest(name = "{0}/{1}")
  @MethodSource("cases")
  void shuffledInputRendersTheSameBytes(String builtin, String name) throws IOException {
    Path dir = GOLDEN.resolve(builtin);
    Inventory inventory = inventory(dir.resolve(name + ".json"));
    Random random = new Random(name.hashCode());
    List<Service> services = new ArrayList<>();
    for (Service s : inventory.services()) {
      List<Server> servers = new ArrayList<>();
      for (Server v : s.servers()) {
        servers.add(new Server(v.id(), v.name(), v.address(), v.port(), v.weight(), v.state(), v.zone(),
            shuffled(v.tags(), random)));
      }
      Collections.shuffle(servers, random);
      services.add(new Service(s.name(), s.source(), servers, shuffled(s.tags(), random)));
    }
    Collections.shuffle(services, random);
    StringBuilder json = new StringBuilder();
    try (var w = new java.io.StringWriter()) {
      InventoryJson.write(new Inventory(services), w);
      json.append(w);
    }
    TemplateEngine engine = TemplateEngine.load("builtin:" + builtin);
    TreeMap<String, String> vars = vars(dir.resolve(name + ".vars"));
    Rendered a = engine.render(inventory, vars);
    Rendered b = engine.render(InventoryJson.read(new StringReader(json.toString()), "shuffled"), vars);
    assertEquals(a.sha256(), b.sha256());
  }

  /** The same entries, inserted in a random order into a hash map. */
  private static java.util.Map<String, String> shuffled(java.util.Map<String, String> tags, Random random) {
    List<java.util.Map.Entry<String, String>> entries = new ArrayList<>(tags.entrySet());
    Collections.shuffle(entries, random);
    java.util.Map<String, String> map = new java.util.HashMap<>();
    entries.forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }

  // haproxy -c on every case: BuiltinTemplatesHaproxyCheckTest (unprivileged and with production defaults)
}
