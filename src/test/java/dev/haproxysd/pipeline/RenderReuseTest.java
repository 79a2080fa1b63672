package dev.haproxysd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haproxysd.model.RenderKey;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
import dev.haproxysd.model.TemplateFile;
import dev.haproxysd.render.TemplateRef;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.AppliedState.Origin;
import dev.haproxysd.state.AppliedState.Proof;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each reason a run must render, in the order they are checked, and the one case that reuses the installed file. */
class RenderReuseTest {
  private static final String BUILD = "haproxy-sd 1.0.0 (commit 0123456789ab); Java 17";
  private static final String CONFIG = "global\n";
  private static final Sha256 INVENTORY = Sha256.of("inventory");

  @TempDir Path dir;
  private Path template;
  private Path target;
  private RenderReuse.Inputs inputs;
  private RenderReuse reuse;
  private AppliedState applied;

  @BeforeEach
  void recorded() throws IOException {
    template = dir.resolve("haproxy.cfg.ftl");
    Files.writeString(template, "global\n");
    target = dir.resolve("haproxy.cfg");
    inputs = new RenderReuse.Inputs(new TreeMap<>(), Slots.off(), INVENTORY, INVENTORY);
    reuse = new RenderReuse(BUILD, TemplateRef.of(template.toString()));
    List<TemplateFile> files = List.of(new TemplateFile("haproxy.cfg.ftl", Sha256.of(Files.readAllBytes(template))));
    RenderKey key = RenderKey.of(reuse.inputs(files, inputs), Sha256.of(CONFIG));
    applied = AppliedState.applied(target, Sha256.of(CONFIG), Proof.RELOAD,
        new Origin(INVENTORY, Slots.off(), key), Instant.EPOCH);
  }

  @Test
  void theSameInputsAndTheRenderedFile_reuseIt() {
    assertEquals(Optional.empty(), reuse.whyRender(target, CONFIG, applied, inputs));
  }

  @Test
  void eachChangeSaysWhy() throws IOException {
    assertEquals(Optional.of("no recorded apply to compare with"), reuse.whyRender(target, CONFIG, null, inputs));
    assertEquals(Optional.of("the last apply recorded no render key"),
        reuse.whyRender(target, CONFIG, AppliedState.applied(target, Sha256.of(CONFIG), Proof.RELOAD,
            new Origin(INVENTORY, Slots.off()), Instant.EPOCH), inputs));
    assertEquals(Optional.of(target + " does not exist"), reuse.whyRender(target, null, applied, inputs));
    assertEquals(Optional.of(target + " is not the config the last apply rendered (sha256 "
        + Sha256.of("edited\n").shortHex() + ", rendered " + Sha256.of(CONFIG).shortHex() + ")"),
        reuse.whyRender(target, "edited\n", applied, inputs));
    assertEquals(Optional.of("the last apply ran another build (" + BUILD + ")"),
        new RenderReuse("haproxy-sd 1.0.1 (commit ba9876543210); Java 17", TemplateRef.of(template.toString()))
            .whyRender(target, CONFIG, applied, inputs));
    assertEquals(Optional.of("this build does not know its commit"),
        new RenderReuse(null, TemplateRef.of(template.toString())).whyRender(target, CONFIG, applied, inputs));
    assertEquals(Optional.of("the inventory changed since the last apply"), reuse.whyRender(target, CONFIG, applied,
        new RenderReuse.Inputs(new TreeMap<>(), Slots.off(), Sha256.of("other inventory"),
            Sha256.of("other inventory"))));
    TreeMap<String, String> vars = new TreeMap<>();
    vars.put("unused", "1");
    assertEquals(Optional.of("the template variables or the template's name changed since the last apply"),
        reuse.whyRender(target, CONFIG, applied, new RenderReuse.Inputs(vars, Slots.off(), INVENTORY, INVENTORY)));
    Files.writeString(template, "global\n# edited\n");
    assertEquals(Optional.of("template file haproxy.cfg.ftl changed since the last apply"),
        reuse.whyRender(target, CONFIG, applied, inputs));
  }
}
