package dev.haproxysd.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SlotsTest {
  private static final String F = Slots.FREE;

  @ParameterizedTest(name = "--slots {0} with {1} servers: {2} slots")
  @CsvSource({"auto,0,10", "auto,3,10", "auto,9,10", "auto,10,20", "auto,25,30", "10,0,10", "10,10,10", "10,11,20",
      "10,21,30", "4,5,8", "1,3,3"})
  void ruleCounts(String spec, int servers, int slots) {
    assertEquals(slots, Slots.Rule.parse(spec).count(servers));
  }

  @Test
  void ruleRefusesWhatIsNotAutoOrAWholeNumber() {
    assertThrows(IllegalArgumentException.class, () -> Slots.Rule.parse("-1"));
    assertThrows(IllegalArgumentException.class, () -> Slots.Rule.parse("ten"));
    assertFalse(Slots.Rule.parse("0").enabled());
  }

  @Test
  void withoutHistory_serversFillTheFirstSlotsInIdOrder() {
    Slots slots = Slots.assign(Slots.Rule.parse("5"), null, inventory("c", "a", "b"));
    assertEquals(List.of("a", "b", "c", F, F), slots.of("web"));
  }

  @Test
  void serversKeepTheirSlots_newcomersTakeTheLowestFree() {
    Slots.Rule rule = Slots.Rule.parse("5");
    Slots first = Slots.assign(rule, null, inventory("a", "b", "c"));
    Slots second = Slots.assign(rule, first, inventory("c", "d"));
    assertEquals(List.of("d", F, "c", F, F), second.of("web"));
    Slots third = Slots.assign(rule, second, inventory("a", "c", "d", "e"));
    assertEquals(List.of("d", "a", "c", "e", F), third.of("web"));
  }

  @Test
  void aServiceKeepsItsGrownCountWhileServersFit_unlessFourTimesTooBig() {
    Slots.Rule rule = Slots.Rule.parse("10");
    Slots grown = Slots.assign(rule, null, inventory(ids(11)));
    assertEquals(20, grown.of("web").size());
    assertEquals(20, Slots.assign(rule, grown, inventory(ids(3))).of("web").size());
    Slots huge = Slots.assign(rule, null, inventory(ids(41)));
    assertEquals(50, huge.of("web").size());
    assertEquals(10, Slots.assign(rule, huge, inventory(ids(2))).of("web").size());
  }

  @Test
  void aChangedRuleTakesEffectAtOnce() {
    Slots ten = Slots.assign(Slots.Rule.parse("10"), null, inventory("a"));
    assertEquals(5, Slots.assign(Slots.Rule.parse("5"), ten, inventory("a")).of("web").size());
  }

  @Test
  void theSameInputsGiveTheSameSlots() {
    List<String> ids = new ArrayList<>(List.of(ids(7)));
    Slots a = Slots.assign(Slots.Rule.AUTO, null, inventory(ids.toArray(String[]::new)));
    Collections.shuffle(ids);
    assertEquals(a, Slots.assign(Slots.Rule.AUTO, null, inventory(ids.toArray(String[]::new))));
  }

  @Test
  void slotsRefuseAServerInTwoSlots() {
    Map<String, List<String>> services = new TreeMap<>(Map.of("web", List.of("a", "a")));
    assertThrows(UnsafeValueException.class, () -> new Slots("auto", new TreeMap<>(services)));
    assertTrue(Slots.off().services().isEmpty());
  }

  private static String[] ids(int n) {
    String[] ids = new String[n];
    for (int i = 0; i < n; i++) {
      ids[i] = String.format("i-%03d", i);
    }
    return ids;
  }

  private static Inventory inventory(String... ids) {
    List<Server> servers = new ArrayList<>();
    for (int i = 0; i < ids.length; i++) {
      servers.add(Server.of(ids[i], InetAddress.getLoopbackAddress(), 8000 + i));
    }
    return new Inventory(List.of(new Service("web", "file", servers)));
  }
}
