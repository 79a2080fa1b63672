package dev.haproxysd.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RenderInputsTest {
  private static final String BUILD = "haproxy-sd 0.1.0 (commit 0123456789ab); Java 17.0.15 (OpenJDK 64-Bit Server VM)";
  private static final Sha256 MAIN = Sha256.of("main template");
  private static final Sha256 INCLUDE = Sha256.of("included template");

  private static Inventory inventory(int weight, String address) {
    try {
      return new Inventory(List.of(new Service("web", "asg", List.of(
          new Server("i-1", "i-1", InetAddress.getByName(address), 8080, weight, ServerState.READY, "us-east-1a",
              Map.of()),
          Server.of("i-2", InetAddress.getByName("10.0.0.2"), 8080)), Map.of())));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static final Inventory INVENTORY = inventory(100, "10.0.0.1");

  private static RenderInputs inputs() {
    SortedMap<String, String> vars = new TreeMap<>(Map.of("bind", "127.0.0.1:80", "maxconn", "2000"));
    return new RenderInputs(BUILD, "./haproxy.cfg.ftl", "/etc/haproxy-sd/haproxy.cfg.ftl",
        List.of(new TemplateFile("haproxy.cfg.ftl", MAIN), new TemplateFile("parts/backend.ftl", INCLUDE),
            TemplateFile.absent("parts/optional.ftl")),
        vars, Slots.assign(Slots.Rule.AUTO, null, INVENTORY), Sha256.of(InventoryJson.bytes(INVENTORY)));
  }

  private static RenderInputs with(UnaryOperator<RenderInputs> change) {
    return change.apply(inputs());
  }

  private static Arguments change(String name, UnaryOperator<RenderInputs> change) {
    return Arguments.of(name, change);
  }

  private static RenderInputs files(RenderInputs i, List<TemplateFile> files) {
    return new RenderInputs(i.build(), i.reference(), i.location(), files, i.vars(), i.slots(), i.inventory());
  }

  private static RenderInputs vars(RenderInputs i, Map<String, String> changes) {
    SortedMap<String, String> vars = new TreeMap<>(i.vars());
    vars.putAll(changes);
    return new RenderInputs(i.build(), i.reference(), i.location(), i.files(), vars, i.slots(), i.inventory());
  }

  private static RenderInputs inventory(RenderInputs i, Inventory inventory) {
    return new RenderInputs(i.build(), i.reference(), i.location(), i.files(), i.vars(), i.slots(),
        Sha256.of(InventoryJson.bytes(inventory)));
  }

  static Stream<Arguments> changes() {
    return Stream.of(
        change("another version", i -> new RenderInputs(BUILD.replace("0.1.0", "0.1.1"), i.reference(),
            i.location(), i.files(), i.vars(), i.slots(), i.inventory())),
        change("another commit", i -> new RenderInputs(BUILD.replace("0123456789ab", "ba9876543210"),
            i.reference(), i.location(), i.files(), i.vars(), i.slots(), i.inventory())),
        change("another Java", i -> new RenderInputs(BUILD.replace("17.0.15", "17.0.16"), i.reference(),
            i.location(), i.files(), i.vars(), i.slots(), i.inventory())),
        change("another template reference", i -> new RenderInputs(i.build(), "/etc/haproxy-sd/haproxy.cfg.ftl",
            i.location(), i.files(), i.vars(), i.slots(), i.inventory())),
        change("another template location", i -> new RenderInputs(i.build(), i.reference(),
            "/srv/haproxy.cfg.ftl", i.files(), i.vars(), i.slots(), i.inventory())),
        change("the main file's bytes", i -> files(i, List.of(new TemplateFile("haproxy.cfg.ftl", Sha256.of("x")),
            new TemplateFile("parts/backend.ftl", INCLUDE), TemplateFile.absent("parts/optional.ftl")))),
        change("an included file's bytes", i -> files(i, List.of(new TemplateFile("haproxy.cfg.ftl", MAIN),
            new TemplateFile("parts/backend.ftl", Sha256.of("x")), TemplateFile.absent("parts/optional.ftl")))),
        change("an optional include that appeared", i -> files(i, List.of(new TemplateFile("haproxy.cfg.ftl", MAIN),
            new TemplateFile("parts/backend.ftl", INCLUDE), new TemplateFile("parts/optional.ftl", INCLUDE)))),
        change("one file fewer", i -> files(i, List.of(new TemplateFile("haproxy.cfg.ftl", MAIN),
            new TemplateFile("parts/backend.ftl", INCLUDE)))),
        change("a var's value", i -> vars(i, Map.of("maxconn", "2001"))),
        change("one more var", i -> vars(i, Map.of("extra", "yes"))),
        change("a var's value moved to another name", i -> {
          SortedMap<String, String> vars = new TreeMap<>(Map.of("bind", "127.0.0.1:80", "maxconm", "2000"));
          return new RenderInputs(i.build(), i.reference(), i.location(), i.files(), vars, i.slots(), i.inventory());
        }),
        change("the slot rule", i -> new RenderInputs(i.build(), i.reference(), i.location(), i.files(), i.vars(),
            Slots.assign(Slots.Rule.parse("20"), null, INVENTORY), i.inventory())),
        change("no slots", i -> new RenderInputs(i.build(), i.reference(), i.location(), i.files(), i.vars(),
            Slots.off(), i.inventory())),
        change("servers in other slots", i -> new RenderInputs(i.build(), i.reference(), i.location(), i.files(),
            i.vars(), new Slots("auto", new TreeMap<>(Map.of("web", List.of("i-2", "i-1", "", "", "", "", "", "",
                "", "")))), i.inventory())),
        change("one server's weight", i -> inventory(i, inventory(50, "10.0.0.1"))),
        change("one server's address", i -> inventory(i, inventory(100, "10.0.0.9"))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("changes")
  void eachInputChangesTheDigest(String name, UnaryOperator<RenderInputs> change) {
    assertNotEquals(inputs().digest(), with(change).digest(), name);
  }

  @Test
  void theSameInputsGiveTheSameDigest_inEveryRunAndOnEveryHost() {
    assertEquals(inputs().digest(), inputs().digest());
    // Pinned: a digest that changed for the same inputs would make every installed key stop matching.
    assertEquals("d4cd433a65d2eb98498af04a3285e8fbe9bec7a029b2d26cda3864fda952dde3", inputs().digest().hex());
  }

  @Test
  void theOrderFilesAreListedIn_doesNotMatter() {
    RenderInputs i = inputs();
    List<TemplateFile> reversed = new java.util.ArrayList<>(i.files());
    java.util.Collections.reverse(reversed);

    assertEquals(i.digest(), files(i, reversed).digest());
  }

  @Test
  void aKeyBindsTheDigestToTheConfigItGave_withTheFilesSortedByName() {
    RenderInputs i = inputs();
    Sha256 config = Sha256.of("global\n");

    RenderKey key = RenderKey.of(files(i, List.of(i.files().get(2), i.files().get(0), i.files().get(1))), config);

    assertEquals(new RenderKey(i.digest(), config, BUILD, "/etc/haproxy-sd/haproxy.cfg.ftl", i.files()), key);
  }
}
