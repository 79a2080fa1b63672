package dev.haproxysd.pipeline;

import com.github.difflib.DiffUtils;
import com.github.difflib.UnifiedDiffUtils;
import com.github.difflib.patch.Patch;
import dev.haproxysd.haproxy.ServerLines;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
import dev.haproxysd.render.Rendered;
import dev.haproxysd.state.AppliedState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The rendered config compared with what is installed at {@code target} and with what the last apply recorded.
 * One plan serves {@code diff} (and its JSON change set) and {@code apply}. Immutable; what it works out (the
 * route, the change set) is worked out once.
 */
public final class Plan {
  private final Path target;
  private final String current;
  private final Rendered desired;
  private final Inventory inventory;
  private final AppliedState applied;
  private final Inventory previous;
  private final Slots slots;
  private Route route;
  private ChangeSet changeSet;

  /**
   * @param current the installed text, or null when there is no file yet
   * @param inventory the inventory {@code desired} was rendered from
   * @param applied what the state directory says the last apply left, or null (no state, corrupt, not asked)
   * @param previous the inventory the last apply came from, or null when unknown
   * @param slots the server slots {@code desired} was rendered with
   */
  public Plan(Path target, String current, Rendered desired, Inventory inventory, AppliedState applied,
      Inventory previous, Slots slots) {
    this.target = target;
    this.current = current;
    this.desired = desired;
    this.inventory = inventory;
    this.applied = applied;
    this.previous = previous;
    this.slots = slots;
  }

  public Plan(Path target, String current, Rendered desired, Inventory inventory, AppliedState applied,
      Inventory previous) {
    this(target, current, desired, inventory, applied, previous, Slots.off());
  }

  public Path target() {
    return target;
  }

  /** The installed text, or null when there is no file yet. */
  public String current() {
    return current;
  }

  public Rendered desired() {
    return desired;
  }

  /** The inventory {@link #desired()} was rendered from. */
  public Inventory inventory() {
    return inventory;
  }

  /** What the state directory says the last apply left, or null (no state, corrupt, not asked). */
  public AppliedState applied() {
    return applied;
  }

  /** The inventory the last apply came from, or null when unknown. */
  public Inventory previous() {
    return previous;
  }

  /** The server slots {@link #desired()} was rendered with. */
  public Slots slots() {
    return slots;
  }

  /** What {@code apply} has to do. */
  public enum Action {
    /** The installed file is the rendered config and the last apply recorded it as applied. */
    NONE,
    /**
     * The installed file is the rendered config, but the last apply did not record it as applied (a run killed
     * between install and reload, or a failed reload): reload without writing the config.
     */
    RELOAD,
    /** Validate, install and reload. */
    INSTALL
  }

  /** Whether the rendered config differs from the installed file. */
  public boolean changed() {
    return !desired.text().equals(current);
  }

  public Action action() {
    if (changed()) {
      return Action.INSTALL;
    }
    if (applied == null) {
      return Action.NONE; // no state: the installed file is all there is to compare with
    }
    boolean recorded = applied.configSha256().equals(desired.sha256())
        && applied.outcome() == AppliedState.Result.APPLIED;
    return recorded ? Action.NONE : Action.RELOAD;
  }

  public boolean wouldChange() {
    return action() != Action.NONE;
  }

  /**
   * How an apply with a runtime API would bring haproxy to {@code desired}: through the runtime API when haproxy
   * provably runs the installed file (the last apply reloaded it, checked it through the runtime API, or found it
   * running it) and the two configs differ only in server addresses, ports, weights and states; otherwise with a
   * reload, saying why. Worked out once (it reads both configs' server lines).
   */
  public Route route() {
    if (route == null) {
      route = decideRoute();
    }
    return route;
  }

  /**
   * The route of an apply that has a runtime API, or not: without one, a runtime-API {@link #route()}
   * becomes {@link Route.Path#RELOAD_NO_RUNTIME_API}.
   */
  public Route route(boolean runtimeApi) {
    return runtimeApi ? route() : route().withoutRuntimeApi();
  }

  private Route decideRoute() {
    switch (action()) {
      case NONE:
        return Route.none();
      case RELOAD:
        return Route.reload("the installed config was never recorded as applied");
      default:
        break;
    }
    if (current == null) {
      return Route.reload("no config is installed yet");
    }
    if (applied == null) {
      return Route.reload("no recorded apply to compare with");
    }
    if (applied.outcome() != AppliedState.Result.APPLIED || !applied.live()) {
      return Route.reload("haproxy is not known to run the installed config (last apply: "
          + applied.outcome().name().toLowerCase(Locale.ROOT).replace('_', '-')
          + (applied.live() ? "" : ", not reloaded") + ")");
    }
    if (!applied.configSha256().equals(Sha256.of(current))) {
      return Route.reload("the installed config was changed since the last apply");
    }
    ServerLines running = ServerLines.of(current);
    ServerLines wanted = ServerLines.of(desired.text());
    Optional<String> structural = running.structuralDifference(wanted);
    if (structural.isPresent()) {
      return Route.reload(modelReason().orElse(structural.get()));
    }
    return Route.runtime(running.changedIn(wanted).size());
  }

  /** A structural change said in the inventory's terms, when there is one: services and slot counts. */
  private Optional<String> modelReason() {
    ChangeSet changes = changeSet();
    if (changes.baselineKnown() && !changes.servicesAdded().isEmpty()) {
      return Optional.of("service " + changes.servicesAdded().get(0) + " is new");
    }
    if (changes.baselineKnown() && !changes.servicesRemoved().isEmpty()) {
      return Optional.of("service " + changes.servicesRemoved().get(0) + " is gone");
    }
    Slots before = applied.slots();
    if (before != null && before.enabled() && slots.enabled()) {
      for (String service : slots.services().keySet()) {
        int had = before.of(service).size();
        int has = slots.of(service).size();
        if (had != 0 && had != has) {
          return Optional.of("service " + service + " " + (has > had ? "needs" : "shrinks to") + " "
              + has + " slots, had " + had);
        }
      }
    }
    if (before != null && before.enabled() != slots.enabled()) {
      return Optional.of("the slot rule changed to " + slots.rule());
    }
    return Optional.empty();
  }

  /** Servers and services added, removed and changed since the inventory the last apply came from. */
  public ChangeSet changeSet() {
    if (changeSet == null) {
      changeSet = ChangeSet.between(previous, inventory);
    }
    return changeSet;
  }

  /** A unified diff (3 lines of context) from the installed file to the rendered config; empty when unchanged. */
  public String unifiedDiff() {
    if (!changed()) {
      return "";
    }
    List<String> from = current == null ? List.of() : lines(current);
    List<String> to = lines(desired.text());
    Patch<String> patch = DiffUtils.diff(from, to, new LineDiff());
    String fromLabel = current == null ? "/dev/null" : target.toString();
    List<String> diff = UnifiedDiffUtils.generateUnifiedDiff(fromLabel, target + " (rendered)", from, patch, 3);
    StringBuilder out = new StringBuilder();
    for (String line : diff) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  private static List<String> lines(String text) {
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (text.endsWith("\n")) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }
}
