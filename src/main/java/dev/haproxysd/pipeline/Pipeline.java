package dev.haproxysd.pipeline;

import dev.haproxysd.discovery.Source;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Log;
import dev.haproxysd.render.Rendered;
import dev.haproxysd.render.TemplateEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.SortedMap;

/**
 * One run: discover once, render once, compare with what is installed. Each subcommand stops at its own stage;
 * every stage reuses the result of the one before, so nothing is discovered or rendered twice.
 */
public final class Pipeline {
  private final Source source;
  private final TemplateEngine engine;
  private final SortedMap<String, String> vars;
  private final Log log;
  private Inventory inventory;
  private Rendered rendered;

  public Pipeline(Source source, TemplateEngine engine, SortedMap<String, String> vars, Log log) {
    this.source = source;
    this.engine = engine;
    this.vars = vars;
    this.log = log;
  }

  public Inventory discover() {
    if (inventory == null) {
      long start = System.nanoTime();
      inventory = source.discover();
      log.debug(String.format("discovered %d services, %d servers in %d ms", inventory.services().size(),
          inventory.serverCount(), (System.nanoTime() - start) / 1_000_000));
    }
    return inventory;
  }

  public Rendered render() {
    if (rendered == null) {
      Inventory discovered = discover();
      long start = System.nanoTime();
      rendered = engine.render(discovered, vars);
      log.debug(String.format("rendered %s: %d bytes in %d ms, sha256 %s", engine.name(), rendered.text().length(),
          (System.nanoTime() - start) / 1_000_000, rendered.sha256()));
    }
    return rendered;
  }

  /** Compares the rendered config with the file at {@code target} (absent counts as empty). */
  public Plan plan(Path target) throws IOException {
    Rendered desired = render();
    String current;
    try {
      current = Files.readString(target, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      current = null;
    }
    return new Plan(target, current, desired);
  }
}
