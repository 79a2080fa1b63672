package dev.haproxysd.pipeline;

import dev.haproxysd.model.RenderInputs;
import dev.haproxysd.model.RenderKey;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
import dev.haproxysd.model.TemplateFile;
import dev.haproxysd.render.TemplateRef;
import dev.haproxysd.state.AppliedState;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Whether a run may take the installed config as its render: the last apply recorded a {@link RenderKey} for
 * exactly the installed bytes, and the same key follows from this run's inputs (the template files are read again
 * and hashed; FreeMarker is not involved). Every "no" comes with its reason, in words for {@code -v}.
 *
 * <pre>{@code
 * RenderReuse reuse = new RenderReuse(build, TemplateRef.of("builtin:asg-http"));
 * reuse.whyRender(target, installedText, applied, inputs)  // Optional.empty(): the installed bytes are the render
 * }</pre>
 */
final class RenderReuse {
  /**
   * What a render depends on besides the template: {@link Pipeline} computes them once per run.
   *
   * @param inventorySha256 the inventory as templates see it (without group facts): part of the key
   * @param recordedInventorySha256 the whole inventory, as {@code state.json} records it: only to say why
   */
  record Inputs(SortedMap<String, String> vars, Slots slots, Sha256 inventorySha256, Sha256 recordedInventorySha256) {}

  private final String build;
  private final TemplateRef template;

  /** @param build {@link RenderInputs#build()}; null when unknown: nothing is then keyed, so nothing reused */
  RenderReuse(String build, TemplateRef template) {
    this.build = build;
    this.template = template;
  }

  /** True when renders of this build can be keyed at all. */
  boolean keyed() {
    return build != null;
  }

  RenderInputs inputs(List<TemplateFile> files, Inputs inputs) {
    return new RenderInputs(build, template.reference(), template.location(), files, inputs.vars(), inputs.slots(),
        inputs.inventorySha256());
  }

  /** Why the template may not be what {@code recorded} was rendered with; empty when its files are the same. */
  Optional<String> templateChange(RenderKey recorded) {
    if (build == null) {
      return Optional.of("this build does not know its commit");
    }
    if (!build.equals(recorded.build())) {
      return Optional.of("the last apply ran another build (" + recorded.build() + ")");
    }
    if (!template.location().equals(recorded.template())) {
      return Optional.of("the last apply rendered " + recorded.template());
    }
    return template.firstChanged(recorded.files())
        .map(name -> "template file " + name + " changed since the last apply");
  }

  /**
   * Why this run must render; empty when the installed config ({@code current}, null when absent) may stand in for
   * the render.
   */
  Optional<String> whyRender(Path target, String current, AppliedState applied, Inputs inputs) {
    if (applied == null) {
      return Optional.of("no recorded apply to compare with");
    }
    Optional<RenderKey> recorded = applied.renderKey();
    if (recorded.isEmpty()) {
      return Optional.of("the last apply recorded no render key");
    }
    RenderKey key = recorded.get();
    if (current == null) {
      return Optional.of(target + " does not exist");
    }
    Sha256 installed = Sha256.of(current);
    if (!installed.equals(applied.configSha256()) || !installed.equals(key.config())) {
      return Optional.of(target + " is not the config the last apply rendered (sha256 " + installed.shortHex()
          + ", rendered " + key.config().shortHex() + ")");
    }
    Optional<String> templateChange = templateChange(key);
    if (templateChange.isPresent()) {
      return templateChange;
    }
    if (inputs(key.files(), inputs).digest().equals(key.digest())) {
      return Optional.empty();
    }
    if (!inputs.recordedInventorySha256().equals(applied.inventorySha256())) {
      return Optional.of("the inventory changed since the last apply");
    }
    if (!Objects.equals(inputs.slots(), applied.slots())) {
      return Optional.of("the server slots changed since the last apply");
    }
    return Optional.of("the template variables or the template's name changed since the last apply");
  }
}
