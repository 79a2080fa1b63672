package dev.haproxysd.pipeline;

import dev.haproxysd.model.Inventory;
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

  public Guards {
    if (maxRemovalPercent < 0 || maxRemovalPercent > 100) {
      throw new IllegalArgumentException("maxRemovalPercent (" + maxRemovalPercent + ") is outside 0-100");
    }
  }

  /** @throws ApplyFailure of outcome {@link Outcome#REFUSED} carrying the {@link GuardBreaches} */
  void check(Plan plan, RunObserver observer) {
    Inventory previous = plan.previous();
    if (previous == null) {
      observer.guardsUnchecked();
      return;
    }
    ChangeSet changes = plan.changeSet();
    List<GuardBreaches.Emptied> emptied = new ArrayList<>();
    if (!allowEmpty) {
      for (Service service : previous.services()) {
        if (!service.servers().isEmpty() && serversOf(plan.inventory(), service.name()) == 0) {
          emptied.add(new GuardBreaches.Emptied(service.name(), service.servers().size()));
        }
      }
    }
    int total = previous.serverCount();
    int removed = changes.serversRemoved().size();
    GuardBreaches.Shrink shrink = total > 0 && (long) removed * 100 > (long) maxRemovalPercent * total
        ? new GuardBreaches.Shrink(removed, total, maxRemovalPercent) : null;
    List<String> names = new ArrayList<>();
    for (ChangeSet.ServerRef ref : changes.serversRemoved()) {
      if (names.size() == GuardBreaches.LISTED) {
        break;
      }
      names.add(ref.service() + "/" + ref.server().id());
    }
    GuardBreaches breaches = new GuardBreaches(emptied, shrink, names, removed - names.size());
    if (!breaches.any()) {
      return;
    }
    if (force) {
      observer.guardsOverridden(breaches);
      return;
    }
    throw ApplyFailure.refused(breaches);
  }

  private static int serversOf(Inventory inventory, String service) {
    return inventory.services().stream().filter(s -> s.name().equals(service)).mapToInt(s -> s.servers().size())
        .sum();
  }
}
