package dev.haproxysd.model;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Everything discovered in one run: services sorted by name, each with its servers sorted by name, so the same
 * inventory renders byte-identical output wherever it came from.
 */
public record Inventory(List<Service> services) {
  public static final Inventory EMPTY = new Inventory(List.of());

  public Inventory {
    List<Service> sorted = new ArrayList<>(services);
    sorted.sort(Comparator.comparing(Service::name));
    Set<String> seen = new HashSet<>();
    for (Service s : sorted) {
      if (!seen.add(s.name())) {
        throw new UnsafeValueException("two services are named " + SafeValue.quote(s.name()));
      }
    }
    services = List.copyOf(sorted);
  }

  public int serverCount() {
    return services.stream().mapToInt(s -> s.servers().size()).sum();
  }

  /** Whether some service carries Auto Scaling group facts: its JSON is then version 2. */
  public boolean hasGroups() {
    return services.stream().anyMatch(Service::hasDesiredCapacity);
  }

  /**
   * This inventory as templates see it: without group facts. Its JSON is what a render depends on, so a change of
   * group facts alone changes no render key.
   */
  public Inventory withoutGroups() {
    return hasGroups() ? new Inventory(services.stream().map(s -> s.withGroups(List.of())).toList()) : this;
  }

  /** The services of both, which must not share a name. */
  public Inventory merge(Inventory other) {
    List<Service> all = new ArrayList<>(services);
    all.addAll(other.services);
    return new Inventory(all);
  }
}
