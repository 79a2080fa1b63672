package dev.haproxysd.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Which server of each service sits in which haproxy server slot. A backend is rendered with a fixed number of
 * {@code server slotN} lines; a server keeps its slot from run to run, so scaling within the slots only changes
 * addresses, weights and states — what the runtime API can change without a reload.
 *
 * <pre>{@code
 * Slots slots = Slots.assign(Slots.Rule.parse("auto"), previous, inventory); // previous: from the state dir, or null
 * slots.of("web");                                                            // ["i-0a", "", "i-0c", "", ...]
 * }</pre>
 *
 * @param rule the {@link Rule} spec they were assigned with ({@code auto}, {@code N}; {@code 0} = no slots)
 * @param services per service, one entry per slot: the server id in it, or {@link #FREE}
 */
public record Slots(String rule, SortedMap<String, List<String>> services) {
  /** A free slot. */
  public static final String FREE = "";
  /** A slot rule never shrinks a service's slots while its servers fit and the count is at most this many times
   *  what the rule would give now: shrinking changes the config's structure and costs a reload. */
  static final int SHRINK_FACTOR = 4;

  public Slots {
    Rule.parse(rule);
    TreeMap<String, List<String>> copy = new TreeMap<>();
    services.forEach((service, slots) -> {
      SafeValue.name("slots: service name", service);
      Set<String> seen = new HashSet<>();
      for (String id : slots) {
        if (!FREE.equals(id) && (!seen.add(SafeValue.name("slots: server id", id)))) {
          throw new UnsafeValueException("slots: server " + SafeValue.quote(id) + " sits in two slots of "
              + SafeValue.quote(service));
        }
      }
      copy.put(service, List.copyOf(slots));
    });
    services = Collections.unmodifiableSortedMap(copy);
  }

  // Written out: a record's generated methods link through ObjectMethods on first use (see model/Sha256).
  @Override
  public boolean equals(Object other) {
    return other instanceof Slots that && rule.equals(that.rule) && services.equals(that.services);
  }

  @Override
  public int hashCode() {
    return 31 * rule.hashCode() + services.hashCode();
  }

  @Override
  public String toString() {
    return "Slots[rule=" + rule + ", services=" + services + "]";
  }

  /** No slots: each server is rendered as itself ({@code --slots 0}). */
  public static Slots off() {
    return new Slots("0", new TreeMap<>());
  }

  public boolean enabled() {
    return Rule.parse(rule).enabled();
  }

  /** The haproxy server name of slot {@code index} (1-based). */
  public static String slotName(int index) {
    return "slot" + index;
  }

  /** The slots of {@code service} (server id or {@link #FREE} each), or an empty list when it has none. */
  public List<String> of(String service) {
    return services.getOrDefault(service, List.of());
  }

  /**
   * Assigns slots for {@code inventory}: every server keeps the slot {@code previous} recorded for it; new servers
   * take the lowest free slots in server-id order. A service keeps its slot count while its servers fit (unless the
   * rule changed, or the count is more than {@value #SHRINK_FACTOR} times what the rule gives now); otherwise it
   * gets the rule's count. Deterministic: same inputs, same slots.
   *
   * @param previous what the last apply recorded, or null (then the result depends on the inventory alone)
   */
  public static Slots assign(Rule rule, Slots previous, Inventory inventory) {
    if (!rule.enabled()) {
      return off();
    }
    boolean sameRule = previous != null && previous.rule().equals(rule.spec());
    TreeMap<String, List<String>> assigned = new TreeMap<>();
    for (Service service : inventory.services()) {
      List<String> before = previous == null ? List.of() : previous.of(service.name());
      int wanted = rule.count(service.servers().size());
      int count = sameRule && before.size() >= wanted && before.size() <= SHRINK_FACTOR * wanted
          ? before.size() : wanted;
      String[] slots = new String[count];
      Arrays.fill(slots, FREE);
      Set<String> ids = new HashSet<>();
      service.servers().forEach(s -> ids.add(s.id()));
      Set<String> placed = new HashSet<>();
      for (int i = 0; i < Math.min(count, before.size()); i++) {
        String id = before.get(i);
        if (ids.contains(id)) {
          slots[i] = id;
          placed.add(id);
        }
      }
      List<String> newcomers = new ArrayList<>();
      service.servers().forEach(s -> {
        if (!placed.contains(s.id())) {
          newcomers.add(s.id());
        }
      });
      Collections.sort(newcomers);
      int next = 0;
      for (String id : newcomers) {
        while (!slots[next].equals(FREE)) {
          next++;
        }
        slots[next] = id;
      }
      assigned.put(service.name(), Arrays.asList(slots));
    }
    return new Slots(rule.spec(), assigned);
  }

  /** The server ids of {@code service} by slot index (1-based), for lookups. */
  public Map<String, Integer> indexOf(String service) {
    Map<String, Integer> index = new TreeMap<>();
    List<String> slots = of(service);
    for (int i = 0; i < slots.size(); i++) {
      if (!FREE.equals(slots.get(i))) {
        index.put(slots.get(i), i + 1);
      }
    }
    return index;
  }

  /**
   * How many slots a service gets ({@code --slots}): {@code auto} = the next multiple of 10 above its server count
   * (so there is always a free slot); {@code N} = N, or the next multiple of N when more than N servers must fit;
   * {@code 0} = no slots.
   */
  public record Rule(String spec, int base, boolean auto) {
    public static final Rule AUTO = new Rule("auto", 10, true);
    public static final String DEFAULT = "auto";
    private static final int MAX = 100_000;

    /** @throws IllegalArgumentException naming the accepted forms */
    public static Rule parse(String spec) {
      if ("auto".equals(spec)) {
        return AUTO;
      }
      int n;
      try {
        n = Integer.parseInt(spec);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--slots " + SafeValue.quote(spec) + ": expected auto or a whole "
            + "number 0-" + MAX + " (0 turns slots off)");
      }
      if (n < 0 || n > MAX) {
        throw new IllegalArgumentException("--slots " + n + " is outside 0-" + MAX + " (0 turns slots off)");
      }
      return new Rule(Integer.toString(n), n, false);
    }

    public boolean enabled() {
      return base > 0;
    }

    // Written out: a record's generated methods link through ObjectMethods on first use (see model/Sha256).
    @Override
    public boolean equals(Object other) {
      return other instanceof Rule that && spec.equals(that.spec) && base == that.base && auto == that.auto;
    }

    @Override
    public int hashCode() {
      return 31 * (31 * spec.hashCode() + base) + Boolean.hashCode(auto);
    }

    @Override
    public String toString() {
      return "Rule[spec=" + spec + ", base=" + base + ", auto=" + auto + "]";
    }

    /** The slot count for {@code servers} servers, without history. */
    public int count(int servers) {
      if (auto) {
        return base * (servers / base + 1);
      }
      return servers <= base ? base : base * ((servers + base - 1) / base);
    }
  }
}
