package dev.haproxysd.render;

import dev.haproxysd.model.Log;
import java.util.Objects;

/**
 * A template and its {@link TemplateEngine}, parsed on first use: a run that proves the installed config is what
 * the template would render never builds FreeMarker at all. {@link #parse()} parses now, for runs that must find a
 * broken template before they cost API calls.
 *
 * <pre>{@code
 * LazyTemplateEngine template = new LazyTemplateEngine(TemplateRef.of("builtin:asg-http"), log);
 * template.parse();                       // or not: get() parses on first use
 * template.get().render(inventory, vars);
 * }</pre>
 */
public final class LazyTemplateEngine {
  private final TemplateRef template;
  private final Log log;
  private TemplateEngine engine;

  public LazyTemplateEngine(TemplateRef template, Log log) {
    this.template = Objects.requireNonNull(template, "template");
    this.log = Objects.requireNonNull(log, "log");
  }

  /** An engine already parsed. */
  public static LazyTemplateEngine of(TemplateEngine parsed) {
    LazyTemplateEngine lazy = new LazyTemplateEngine(parsed.template(), Log.SILENT);
    lazy.engine = parsed;
    return lazy;
  }

  public TemplateRef template() {
    return template;
  }

  /**
   * Parses the template unless that happened already.
   *
   * @throws TemplateError when it cannot be found or parsed
   */
  public LazyTemplateEngine parse() {
    get();
    return this;
  }

  /**
   * True unless the template was parsed and one of the files it read changed since (or it cannot be trusted to
   * render the same files the same way): a long-lived process may keep using a current one.
   */
  public boolean current() {
    return engine == null || engine.reads().repeatable().map(files -> template.firstChanged(files).isEmpty())
        .orElse(false);
  }

  /** The engine, parsed on the first call. */
  public TemplateEngine get() {
    if (engine == null) {
      long start = System.nanoTime();
      engine = TemplateEngine.load(template);
      log.debug(String.format("template %s parsed in %d ms", engine.name(), (System.nanoTime() - start) / 1_000_000));
    }
    return engine;
  }
}
