package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every built-in template against its golden file. After an intended template change, regenerate with
 * {@code mvn test -Dtest=BuiltinTemplatesGoldenTest -Dgolden.update=true} and review the diff.
 */
class BuiltinTemplatesGoldenTest {
  static Stream<String> builtins() {
    return TemplateEngine.BUILTINS.stream();
  }

  @ParameterizedTest(name = "builtin:{0}")
  @MethodSource("builtins")
  void rendersTheGoldenFile(String name) throws IOException {
    TemplateFixture fixture = new TemplateFixture(name);
    String actual = fixture.engine().render(fixture.inventory(), fixture.vars()).text();
    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(fixture.expected(), actual, StandardCharsets.UTF_8);
    }
    assertEquals(Files.readString(fixture.expected(), StandardCharsets.UTF_8), actual,
        "builtin:" + name + " differs from " + fixture.expected() + " (regenerate with -Dgolden.update=true)");
  }

  @ParameterizedTest(name = "builtin:{0}")
  @MethodSource("builtins")
  void shuffledInventoryRendersTheSameBytes(String name) throws IOException {
    TemplateFixture fixture = new TemplateFixture(name);
    TemplateEngine engine = fixture.engine();
    Inventory inventory = fixture.inventory();
    String expected = engine.render(inventory, fixture.vars()).text();
    for (long seed = 1; seed <= 5; seed++) {
      Inventory shuffled = shuffle(inventory, new Random(seed));
      assertEquals(expected, engine.render(shuffled, fixture.vars()).text(), "seed " + seed);
      assertEquals(expected, TemplateEngine.load("builtin:" + name).render(shuffled, fixture.vars()).text());
    }
  }

  @Test
  void everyBuiltinHasAFixture() {
    for (String name : TemplateEngine.BUILTINS) {
      TemplateFixture fixture = new TemplateFixture(name);
      assertTrue(Files.isRegularFile(fixture.expected()), fixture.expected() + " missing");
    }
  }

  /** The same services, servers and tags, handed over in a different order and in hash maps. */
  private static Inventory shuffle(Inventory inventory, Random random) {
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
    return new Inventory(services);
  }

  private static Map<String, String> shuffled(Map<String, String> tags, Random random) {
    List<Map.Entry<String, String>> entries = new ArrayList<>(tags.entrySet());
    Collections.shuffle(entries, random);
    Map<String, String> map = new HashMap<>();
    entries.forEach(e -> map.put(e.getKey(), e.getValue()));
    return map;
  }
}
