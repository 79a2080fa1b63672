package dev.haproxysd.pipeline;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.discovery.Source;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Slots;
import dev.haproxysd.render.Rendered;
import dev.haproxysd.render.TemplateEngine;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One run: discover once, render once, compare with what is installed, apply. Each subcommand stops at its own
 * stage; every stage reuses the result of the one before, so nothing is discovered or rendered twice.
 */
public final class Pipeline {
  private final Source source;
  private final TemplateEngine engine;
  private final SortedMap<String, String> vars;
  private final Log log;
  private final Clock clock;
  private final Slots.Rule slotRule;
  private Slots recordedSlots;
  private Slots slots;
  private Inventory inventory;
  private Rendered rendered;

  public Pipeline(Source source, TemplateEngine engine, SortedMap<String, String> vars, Log log) {
    this(source, engine, vars, log, Clock.SYSTEM);
  }

  public Pipeline(Source source, TemplateEngine engine, SortedMap<String, String> vars, Log log, Clock clock) {
    this(source, engine, vars, Slots.Rule.AUTO, log, clock);
  }

  /** @param slotRule how many server slots each backend gets ({@code --slots}) */
  public Pipeline(Source source, TemplateEngine engine, SortedMap<String, String> vars, Slots.Rule slotRule, Log log,
      Clock clock) {
    this.slotRule = slotRule;
    this.source = source;
    this.engine = engine;
    this.vars = vars;
    this.log = log;
    this.clock = clock;
  }

  public Inventory discover() {
    if (inventory == null) {
      long start = clock.nanoTime();
      inventory = source.discover();
      log.debug(String.format("discovered %d services, %d servers in %d ms", inventory.services().size(),
          inventory.serverCount(), (clock.nanoTime() - start) / 1_000_000));
    }
    return inventory;
  }

  /** The inventory if this run got as far as discovering it (for metrics after a failure). */
  public Optional<Inventory> discovered() {
    return Optional.ofNullable(inventory);
  }

  /** API calls the source made in this run (also after a failed discovery). */
  public ApiCalls apiCalls() {
    return source.apiCalls();
  }

  /** When the inventory was discovered, if it came from someone else's discovery (a shared inventory in S3). */
  public Optional<java.time.Instant> discoveredAt() {
    return source.discoveredAt();
  }

  /**
   * Keep each server in the slot the last apply recorded for it (from the state directory); without it, slots
   * follow from the inventory alone. Call before {@link #render}.
   */
  public Pipeline withRecordedSlots(Slots recorded) {
    if (!java.util.Objects.equals(recorded, recordedSlots)) {
      recordedSlots = recorded;
      slots = null;
      rendered = null;
    }
    return this;
  }

  /** The server slots this run renders with. */
  public Slots slots() {
    if (slots == null) {
      slots = Slots.assign(slotRule, recordedSlots, discover());
    }
    return slots;
  }

  public Rendered render() {
    if (rendered == null) {
      Inventory discovered = discover();
      Slots assigned = slots();
      long start = clock.nanoTime();
      rendered = engine.render(discovered, vars, assigned);
      log.debug(String.format("rendered %s: %d bytes in %d ms, sha256 %s", engine.name(), rendered.text().length(),
          (clock.nanoTime() - start) / 1_000_000, rendered.sha256()));
    }
    return rendered;
  }

  /** Compares the rendered config with the file at {@code target} only (absent counts as empty). */
  public Plan plan(Path target) throws IOException {
    return plan(target, null);
  }

  /**
   * Compares the rendered config with the file at {@code target} (absent counts as empty) and with what the last
   * apply recorded in {@code state} (null: no state). A missing or corrupt state is a warning, never an error.
   */
  public Plan plan(Path target, StateStore state) throws IOException {
    discover(); // a failed discovery is the run's one error, before any warning about the state
    String current;
    try {
      current = Files.readString(target, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      current = null;
    }
    AppliedState applied = null;
    Inventory previous = null;
    if (state != null) {
      StateStore.Loaded loaded = state.load(target);
      applied = loaded.state().orElse(null);
      previous = loaded.inventory().orElse(null);
      withRecordedSlots(applied == null ? null : applied.slots());
    }
    Rendered desired = render();
    return new Plan(target, current, desired, discover(), applied, previous, slots());
  }

  /** Runs {@code apply} (see {@link ApplySettings}); failures that end the run on purpose are {@link ApplyFailure}. */
  public ApplyResult apply(ApplySettings settings) throws IOException {
    return apply(settings, RunObserver.NONE);
  }

  /** {@link #apply(ApplySettings)}, telling {@code observer} about its phases and guard decisions. */
  public ApplyResult apply(ApplySettings settings, RunObserver observer) throws IOException {
    return new ApplyRun(this, settings, observer, log, clock).run();
  }
}
