package dev.haproxysd.pipeline;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.discovery.Source;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.RenderInputs;
import dev.haproxysd.model.RenderKey;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
import dev.haproxysd.model.TemplateFile;
import dev.haproxysd.render.LazyTemplateEngine;
import dev.haproxysd.render.Rendered;
import dev.haproxysd.render.TemplateEngine;
import dev.haproxysd.render.TemplateReads;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * One run: discover once, render once, compare with what is installed, apply. Each subcommand stops at its own
 * stage; every stage reuses the result of the one before, so nothing is discovered or rendered twice.
 *
 * <p>Given the build's identity, {@code apply} does not render at all when it can prove the render would give the
 * installed bytes: the last apply recorded a {@link RenderKey} for exactly the installed config, and every input
 * (build, template files, vars, slots, inventory) is unchanged since.
 */
public final class Pipeline {
  private final Source source;
  private final LazyTemplateEngine template;
  private final RenderReuse reuse;
  private final SortedMap<String, String> vars;
  private final Log log;
  private final Clock clock;
  private final Slots.Rule slotRule;
  private Slots recordedSlots;
  private Slots slots;
  private Inventory inventory;
  private Sha256 inventorySha256;
  private Sha256 renderedInventorySha256;
  private Rendered rendered;
  private RenderKey renderKey;

  public Pipeline(Source source, TemplateEngine engine, SortedMap<String, String> vars, Log log, Clock clock) {
    this(source, engine, vars, Slots.Rule.AUTO, log, clock);
  }

  /** @param slotRule how many server slots each backend gets ({@code --slots}) */
  public Pipeline(Source source, TemplateEngine engine, SortedMap<String, String> vars, Slots.Rule slotRule, Log log,
      Clock clock) {
    this(source, LazyTemplateEngine.of(engine), null, vars, slotRule, log, clock);
  }

  /**
   * @param template the template, parsed when first needed (see {@link #parseTemplateUnlessUnchanged})
   * @param build haproxy-sd's version and commit and the Java runtime's ({@link RenderInputs#build()}); null when
   *     unknown: renders are then never keyed, so never skipped
   * @param slotRule how many server slots each backend gets ({@code --slots})
   */
  public Pipeline(Source source, LazyTemplateEngine template, String build, SortedMap<String, String> vars,
      Slots.Rule slotRule, Log log, Clock clock) {
    this.slotRule = slotRule;
    this.source = source;
    this.template = template;
    this.reuse = new RenderReuse(build, template.template());
    this.vars = vars;
    this.log = log;
    this.clock = clock;
  }

  /**
   * Parses the template now, before discovery, so that a broken template costs no API call — unless its files are
   * byte-identical to those a successful render of this build read, as {@code recorded} (from the state directory)
   * lists them: then parsing waits until a render is needed, which may be never.
   */
  public Pipeline parseTemplateUnlessUnchanged(Optional<RenderKey> recorded) {
    if (recorded.isEmpty() || reuse.templateChange(recorded.get()).isPresent()) {
      template.parse();
    }
    return this;
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

  /** Whether the inventory is read (a file, S3) rather than discovered: {@link Source#readsInventory}. */
  boolean readsInventory() {
    return source.readsInventory();
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
    if (!Objects.equals(recorded, recordedSlots)) {
      recordedSlots = recorded;
      slots = null;
      rendered = null;
      renderKey = null;
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
      TemplateEngine engine = template.get();
      long start = clock.nanoTime();
      Rendered output = engine.render(discovered, vars, assigned);
      log.debug(String.format("rendered %s: %d bytes in %d ms, sha256 %s", engine.name(), output.text().length(),
          (clock.nanoTime() - start) / 1_000_000, output.sha256()));
      renderKey = keyOf(engine.reads(), output);
      rendered = output;
    }
    return rendered;
  }

  /** What the config this run planned was rendered from (or proved to be renderable from), when it is known. */
  public Optional<RenderKey> renderKey() {
    return Optional.ofNullable(renderKey);
  }

  /** The digest of the inventory's canonical JSON, as {@code state.json} records it. */
  Sha256 inventorySha256() {
    if (inventorySha256 == null) {
      inventorySha256 = Sha256.of(InventoryJson.bytes(discover()));
    }
    return inventorySha256;
  }

  /**
   * The digest of the inventory as templates see it, without group facts: what a render key covers, so that a change
   * of group facts alone neither renders nor records anything. The same as {@link #inventorySha256} without groups.
   */
  private Sha256 renderedInventorySha256() {
    if (renderedInventorySha256 == null) {
      Inventory seen = discover().withoutGroups();
      renderedInventorySha256 = seen == discover() ? inventorySha256() : Sha256.of(InventoryJson.bytes(seen));
    }
    return renderedInventorySha256;
  }

  private RenderReuse.Inputs renderInputs() {
    return new RenderReuse.Inputs(vars, slots(), renderedInventorySha256(), inventorySha256());
  }

  private RenderKey keyOf(TemplateReads reads, Rendered output) {
    if (!reuse.keyed()) {
      return null;
    }
    Optional<List<TemplateFile>> files = reads.repeatable();
    if (files.isEmpty()) {
      log.debug("render not keyed, the next apply renders again: " + reads.notRepeatable());
      return null;
    }
    return RenderKey.of(reuse.inputs(files.get(), renderInputs()), output.sha256());
  }

  /**
   * The installed config, when the last apply proved it is what rendering now would give; otherwise a render. Says
   * which in one debug line.
   */
  private Rendered installedOrRendered(Path target, String current, AppliedState applied) {
    if (rendered != null) {
      return rendered;
    }
    Optional<String> whyNot = reuse.whyRender(target, current, applied, renderInputs());
    if (whyNot.isPresent()) {
      log.debug("rendering: " + whyNot.get());
      return render();
    }
    rendered = new Rendered(current);
    renderKey = applied.renderKey().orElseThrow();
    log.debug("template and inputs unchanged since the last apply: render skipped (" + target + " is what they "
        + "rendered, sha256 " + renderKey.config().shortHex() + ")");
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
    return plan(target, state, false);
  }

  /**
   * {@link #plan(Path, StateStore)}; with {@code installedIfUnchanged}, the installed file stands in for the render
   * when the last apply proved that rendering now would give exactly its bytes (FreeMarker is then never used).
   */
  Plan plan(Path target, StateStore state, boolean installedIfUnchanged) throws IOException {
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
    Rendered desired = installedIfUnchanged ? installedOrRendered(target, current, applied) : render();
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
