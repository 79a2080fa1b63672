package dev.haproxysd.pipeline;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * Refuses a run that would empty a service or remove too many servers at once — the signature of a discovery that
 * went wrong (a bad filter, an expired role) rather than of a fleet that really shrank.
 *
 * @param allowEmpty a service that had servers may end up with none
 * @param maxRemovalPercent at most this share of all recorded servers may disappear in one run
 * @param force both checks are reported but do not refuse (one run)
 */
public record Guards(boolean allowEmpty, int maxRemovalPercent, boolean force) {
  public static final int DEFAULT_MAX_REMOVAL_PERCENT = 50;
  private static final int LISTED = 20;

  public Guards {
    if (maxRemovalPercent < 0 || maxRemovalPercent > 100) {
      throw new IllegalArgumentException("--max-removal " + maxRemovalPercent + "% is outside 0-100%");
    }
  }

  /** @throws ApplyFailure of kind {@link ApplyFailure.Kind#GUARD} naming what would have been removed */
  void check(Plan plan, Log log) {
    Inventory previous = plan.previous();
    if (previous == null) {
      log.warn("no recorded inventory to compare with: the empty and --max-removal guards cannot check this run");
      return;
    }
    ChangeSet changes = plan.changeSet();
    List<String> problems = new ArrayList<>();
    if (!allowEmpty) {
      for (Service service : previous.services()) {
        if (!service.servers().isEmpty() && serversOf(plan.inventory(), service.name()) == 0) {
          problems.add("service " + service.name() + " had " + service.servers().size() + " server"
              + (service.servers().size() == 1 ? "" : "s") + " and would have none (--allow-empty permits it)");
        }
      }
    }
    int total = previous.serverCount();
    int removed = changes.serversRemoved().size();
    if (total > 0 && (long) removed * 100 > (long) maxRemovalPercent * total) {
      problems.add(removed + " of " + total + " servers (" + (removed * 100 / total) + "%) would be removed, more "
          + "than --max-removal " + maxRemovalPercent + "%");
    }
    if (problems.isEmpty()) {
      return;
    }
    String what = String.join("; ", problems) + " (removed: " + removedList(changes) + ")";
    if (force) {
      log.warn("--force: applying although " + what);
      return;
    }
    throw new ApplyFailure(ApplyFailure.Kind.GUARD, "guard refused: " + what
        + "; nothing was written or reloaded (check discovery; --force applies it once)");
  }

  private static int serversOf(Inventory inventory, String service) {
    return inventory.services().stream().filter(s -> s.name().equals(service)).mapToInt(s -> s.servers().size())
        .sum();
  }

  private static String removedList(ChangeSet changes) {
    List<String> names = new ArrayList<>();
    for (ChangeSet.ServerRef ref : changes.serversRemoved()) {
      if (names.size() == LISTED) {
        names.add("and " + (changes.serversRemoved().size() - LISTED) + " more");
        break;
      }
      names.add(ref.service() + "/" + ref.server().id());
    }
    return names.isEmpty() ? "none" : String.join(" ", names);
  }
}
