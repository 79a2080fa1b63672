package dev.haproxysd.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryTest {
  private static Server server(String id) {
    return Server.of(id, SafeValue.address("a", "10.0.0.1"), 80);
  }

  @Test
  void sortsServicesAndServersByName() {
    Inventory inventory = new Inventory(List.of(
        new Service("web", "file", List.of(server("b"), server("a"))),
        new Service("api", "file", List.of(server("z")))));
    assertEquals(List.of("api", "web"), inventory.services().stream().map(Service::name).toList());
    assertEquals(List.of("a", "b"), inventory.services().get(1).servers().stream().map(Server::name).toList());
    assertEquals(3, inventory.serverCount());
  }

  @Test
  void refusesDuplicateNames() {
    assertThrows(UnsafeValueException.class,
        () -> new Service("web", "file", List.of(server("a"), server("a"))));
    assertThrows(UnsafeValueException.class, () -> new Inventory(List.of(
        new Service("web", "file", List.of()), new Service("web", "asg", List.of()))));
  }

  @Test
  void merge_joinsServicesOfTwoSources() {
    Inventory a = new Inventory(List.of(new Service("web", "asg", List.of(server("a")))));
    Inventory b = new Inventory(List.of(new Service("api", "cloudmap", List.of())));
    assertEquals(List.of("api", "web"), a.merge(b).services().stream().map(Service::name).toList());
  }
}
