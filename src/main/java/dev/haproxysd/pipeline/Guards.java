package dev.haproxysd.pipeline;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.ScalingGroup;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.state.PendingShrink;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.Set;

/**
 * Refuses a run that would empty a service or remove too many servers at once — the signature of a discovery that
 * went wrong (a bad filter, an expired role, instances that died) rather than of a fleet that really shrank.
 *
 * <p>Only removals nothing explains count towards the limit. An Auto Scaling group explains its own: members that
 * are terminating, detaching or in standby, and as many vanished members as its DesiredCapacity went down. Servers
 * missing while their group still wants them are refused on every run. A source without a desired capacity (Cloud
 * Map, an inventory file) cannot explain anything, so a shrink from it beyond the limit is refused until the same
 * shrink was seen in {@code confirmRuns} consecutive runs.
 *
 * @param allowEmpty a service that had servers may end up with none
 * @param maxRemovalPercent at most this share of all recorded servers may disappear unexplained in one run
 * @param confirmRuns a shrink without desired capacity is applied in the run that sees it this many times in a row
 *     (1: at once; 0: never, only when forced)
 * @param force the checks are reported but do not refuse (one run)
 */
public record Guards(boolean allowEmpty, int maxRemovalPercent, int confirmRuns, boolean force) {
  public static final int DEFAULT_MAX_REMOVAL_PERCENT = 50;
  public static final int DEFAULT_CONFIRM_RUNS = 3;
  /** What {@code apply} checks without guard options. */
  public static final Guards DEFAULT = new Guards(false, DEFAULT_MAX_REMOVAL_PERCENT, DEFAULT_CONFIRM_RUNS, false);

  public Guards {
    if (maxRemovalPercent < 0 || maxRemovalPercent > 100) {
      throw new IllegalArgumentException("maxRemovalPercent (" + maxRemovalPercent + ") is outside 0-100");
    }
    if (confirmRuns < 0) {
      throw new IllegalArgumentException("confirmRuns (" + confirmRuns + ") is negative");
    }
  }

  /** @throws ApplyFailure of outcome {@link Outcome#REFUSED} carrying the {@link GuardBreaches} */
  void check(Plan plan, ShrinkSightings sightings, RunObserver observer) {
    Inventory previous = plan.previous();
    if (previous == null) {
      observer.guardsUnchecked();
      sightings.forget();
      return;
    }
    Removals removals = Removals.between(previous, plan.inventory());
    List<GuardBreaches.Emptied> emptied = new ArrayList<>();
    if (!allowEmpty) {
      for (Service service : previous.services()) {
        if (!service.servers().isEmpty() && serversOf(plan.inventory(), service.name()) == 0) {
          emptied.add(new GuardBreaches.Emptied(service.name(), service.servers().size()));
        }
      }
    }
    int total = previous.serverCount();
    List<String> counted = new ArrayList<>(removals.unexplained());
    counted.addAll(removals.unconfirmed());
    GuardBreaches.Shrink shrink = null;
    if (!exceeds(counted.size(), total)) {
      sightings.forget();
    } else if (exceeds(removals.unexplained().size(), total)) {
      sightings.forget();
      shrink = new GuardBreaches.Shrink(removals.unexplained().size(), total, maxRemovalPercent,
          GuardBreaches.Kind.UNEXPLAINED, removals.shortfalls(), null);
      counted = removals.unexplained();
    } else {
      counted.sort(null);
      PendingShrink seen = sightings.see(Sha256.of(String.join("\n", counted).getBytes(StandardCharsets.UTF_8)),
          counted.size());
      GuardBreaches.Sighting sighting = new GuardBreaches.Sighting(seen.runs(), confirmRuns, seen.firstSeen());
      if (sighting.confirmed()) {
        observer.shrinkConfirmed(counted.size(), total, sighting);
      } else {
        shrink = new GuardBreaches.Shrink(counted.size(), total, maxRemovalPercent, GuardBreaches.Kind.UNCONFIRMED,
            removals.shortfalls(), sighting);
      }
    }
    List<String> names = counted.subList(0, Math.min(counted.size(), GuardBreaches.LISTED));
    GuardBreaches breaches = new GuardBreaches(emptied, shrink, names, counted.size() - names.size());
    if (!breaches.any()) {
      return;
    }
    if (force) {
      observer.guardsOverridden(breaches);
      return;
    }
    throw ApplyFailure.refused(breaches);
  }

  private boolean exceeds(int removed, int total) {
    return total > 0 && (long) removed * 100 > (long) maxRemovalPercent * total;
  }

  private static int serversOf(Inventory inventory, String service) {
    return inventory.services().stream().filter(s -> s.name().equals(service)).mapToInt(s -> s.servers().size())
        .sum();
  }

  /**
   * The servers of {@code before} that {@code after} no longer has, sorted into what counts: as {@code service/id},
   * those whose Auto Scaling group still wants them, and those of services without a desired capacity. Removals a
   * group explains are in neither list.
   */
  record Removals(List<String> unexplained, List<String> unconfirmed, List<GuardBreaches.Shortfall> shortfalls) {
    static Removals between(Inventory before, Inventory after) {
      Map<String, Service> now = new HashMap<>();
      after.services().forEach(s -> now.put(s.name(), s));
      List<String> unexplained = new ArrayList<>();
      List<String> unconfirmed = new ArrayList<>();
      List<GuardBreaches.Shortfall> shortfalls = new ArrayList<>();
      for (Service was : before.services()) {
        Service is = now.get(was.name());
        Set<String> kept = new HashSet<>();
        if (is != null) {
          is.servers().forEach(s -> kept.add(s.id()));
        }
        List<Server> removed = was.servers().stream().filter(s -> !kept.contains(s.id())).toList();
        if (removed.isEmpty()) {
          continue;
        }
        if (is == null || !is.hasDesiredCapacity()) {
          removed.forEach(s -> unconfirmed.add(was.name() + "/" + s.id()));
          continue;
        }
        // Each group explains its own members' removals; what the groups explain is added up.
        Map<ScalingGroup, List<Server>> byGroup = new LinkedHashMap<>();
        Map<ScalingGroup, Integer> had = new HashMap<>();
        for (Server s : was.servers()) {
          is.groupOf(s).ifPresent(g -> had.merge(g, 1, Integer::sum));
        }
        for (Server s : removed) {
          Optional<ScalingGroup> group = is.groupOf(s);
          if (group.isPresent()) {
            byGroup.computeIfAbsent(group.get(), g -> new ArrayList<>()).add(s);
          } else {
            unconfirmed.add(was.name() + "/" + s.id()); // no group speaks for it: EC2 by tag in another pair
          }
        }
        for (Map.Entry<ScalingGroup, List<Server>> e : byGroup.entrySet()) {
          ScalingGroup group = e.getKey();
          List<String> missing = unexplainedBy(group, had.getOrDefault(group, 0), e.getValue());
          missing.forEach(id -> unexplained.add(was.name() + "/" + id));
          if (!missing.isEmpty()) {
            String which = is.groups().size() == 1 ? "" : SafeValue.quote(group.name()) + " in " + group.region()
                + (group.account().isEmpty() ? "" : " of account " + group.account());
            shortfalls.add(new GuardBreaches.Shortfall(was.name(), which, group.desiredCapacity(),
                (int) is.servers().stream().filter(s -> is.groupOf(s).filter(group::equals).isPresent()).count()));
          }
        }
      }
      return new Removals(unexplained, unconfirmed, shortfalls);
    }

    /**
     * The removed servers the group does not explain: members still in the group that are not leaving it, and of
     * the members gone from it, those beyond the drop in capacity (its servers before − desired − those leaving).
     */
    private static List<String> unexplainedBy(ScalingGroup group, int had, List<Server> removed) {
      List<String> missing = new ArrayList<>();
      List<String> gone = new ArrayList<>();
      int leaving = 0;
      for (Server server : removed) {
        if (group.leaving(server.id())) {
          leaving++;
        } else if (group.lifecycle(server.id()).isPresent()) {
          missing.add(server.id());
        } else {
          gone.add(server.id());
        }
      }
      int allowance = Math.max(0, had - group.desiredCapacity() - leaving);
      gone.sort(null);
      missing.addAll(gone.subList(Math.min(allowance, gone.size()), gone.size()));
      return missing;
    }
  }
}
