package dev.haproxysd.render;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Slots;
import dev.haproxysd.model.UnsafeValueException;
import freemarker.cache.ClassTemplateLoader;
import freemarker.cache.FileTemplateLoader;
import freemarker.cache.TemplateLoader;
import freemarker.template.TemplateNotFoundException;
import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One parsed template in a locked-down FreeMarker configuration: exceptions are rethrown, {@code ?new} and {@code
 * ?api} are off, includes cannot leave the template's directory, a missing value is an error, numbers print as
 * {@code 8080} in every locale. Build it once per run; {@link #render} is a pure function of its arguments.
 *
 * <pre>{@code
 * TemplateEngine engine = TemplateEngine.load("builtin:asg-http");
 * Rendered cfg = engine.render(inventory, vars);
 * }</pre>
 */
public final class TemplateEngine {
  public static final String BUILTIN_PREFIX = "builtin:";
  public static final String DEFAULT_TEMPLATE = BUILTIN_PREFIX + "asg-http";
  /** The built-in templates shipped in the jar, selectable as {@code builtin:NAME}. */
  public static final List<String> BUILTINS = List.of("asg-http", "cloudmap-hosts", "tls-edge", "dns-srv");
  /** Where the built-ins are, relative to this package. */
  static final String BUILTIN_DIR = "builtin";

  /** FreeMarker configurations built in this JVM: lets tests prove that a run parsed no template. */
  private static final AtomicInteger CONFIGURATIONS = new AtomicInteger();

  static {
    // FreeMarker would otherwise pick a logging library and print to stdout/stderr behind our back.
    System.setProperty("org.freemarker.loggerLibrary", "none");
  }

  private final Template template;
  private final TemplateRef ref;
  private final String displayName;
  private final RecordingLoader loader;

  private TemplateEngine(Template template, TemplateRef ref, RecordingLoader loader) {
    this.template = template;
    this.ref = ref;
    this.displayName = ref.reference();
    this.loader = loader;
  }

  /**
   * @param reference {@code builtin:NAME} or a template file path
   * @throws TemplateError when it cannot be found or parsed
   */
  public static TemplateEngine load(String reference) {
    return load(TemplateRef.of(reference));
  }

  /** {@link #load(String)} for a resolved template. */
  public static TemplateEngine load(TemplateRef ref) {
    String reference = ref.reference();
    String name;
    TemplateLoader found;
    if (ref.builtin() != null) {
      String builtin = ref.builtin();
      if (!BUILTINS.contains(builtin)) {
        throw new TemplateError(
            reference + ": no such built-in template (built-ins: " + String.join(", ", BUILTINS) + ")");
      }
      ClassTemplateLoader builtins = new ClassTemplateLoader(TemplateEngine.class, BUILTIN_DIR);
      // What FreeMarker does itself for a URL loader's sources, but cannot see through the recording wrapper.
      builtins.setURLConnectionUsesCaches(false);
      found = builtins;
      name = builtin + ".ftl";
    } else {
      Path file = ref.file();
      if (!Files.isRegularFile(file)) {
        throw new TemplateError(reference + ": template file not found");
      }
      try {
        found = new FileTemplateLoader(file.getParent().toFile());
      } catch (IOException e) {
        throw new TemplateError(reference + ": cannot read the template directory: " + e.getMessage(), e);
      }
      name = file.getFileName().toString();
    }
    RecordingLoader loader = new RecordingLoader(found);
    Configuration cfg = configuration(loader);
    try {
      return new TemplateEngine(cfg.getTemplate(name), ref, loader);
    } catch (TemplateNotFoundException e) {
      throw new TemplateError(reference + ": template not found", e);
    } catch (ParseException e) {
      throw new TemplateError(locate(e.getTemplateName(), name, reference, e.getLineNumber(),
          e.getColumnNumber()) + syntaxMessage(e), e);
    } catch (IOException e) {
      throw new TemplateError(reference + ": cannot read template: " + e.getMessage(), e);
    } catch (SecurityException e) {
      throw new TemplateError(reference + ": refused: " + oneLine(e.getMessage()), e);
    }
  }

  /** The template as the user named it, e.g. {@code builtin:asg-http} or {@code ./haproxy.cfg.ftl}. */
  public String name() {
    return displayName;
  }

  public TemplateRef template() {
    return ref;
  }

  /** The template files read so far: the main file when it was parsed, includes and imports as renders used them. */
  public TemplateReads reads() {
    return loader.reads();
  }

  /** How many FreeMarker configurations (one per parsed template) this JVM has built. */
  static int configurationsBuilt() {
    return CONFIGURATIONS.get();
  }

  /**
   * @throws TemplateError for an error in the template ({@code file:line:col: message})
   * @throws UnsafeValueException when the template reads a value that may not reach a directive
   */
  public Rendered render(Inventory inventory, SortedMap<String, String> vars) {
    return render(inventory, vars, Slots.assign(Slots.Rule.AUTO, null, inventory));
  }

  /**
   * As {@link #render(Inventory, SortedMap)}, with the server slots the template sees as {@code service.slots}.
   *
   * @param slots from {@link Slots#assign}; {@link Slots#off()} lists each server as its own slot
   */
  public Rendered render(Inventory inventory, SortedMap<String, String> vars, Slots slots) {
    StringWriter out = new StringWriter(4096 + inventory.serverCount() * 96);
    try {
      template.process(DataModel.of(inventory, vars, slots), out);
    } catch (TemplateException e) {
      String where = locate(e.getTemplateSourceName(), template.getSourceName(), displayName,
          e.getLineNumber(), e.getColumnNumber());
      UnsafeValueException unsafe = unsafeCause(e);
      if (unsafe != null) {
        throw new UnsafeValueException(where + unsafe.getMessage());
      }
      throw new TemplateError(where + message(e), e);
    } catch (IOException e) {
      throw new TemplateError(displayName + ": " + e.getMessage(), e);
    } catch (SecurityException e) {
      // FileTemplateLoader refuses a link that resolves outside the template directory.
      throw new TemplateError(displayName + ": include refused: " + oneLine(e.getMessage()), e);
    }
    return new Rendered(out.toString());
  }

  private static Configuration configuration(TemplateLoader loader) {
    CONFIGURATIONS.incrementAndGet();
    Configuration cfg = new Configuration(Configuration.VERSION_2_3_34);
    cfg.setTemplateLoader(loader);
    cfg.setObjectWrapper(DataModel.WRAPPER);
    cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
    cfg.setAttemptExceptionReporter((e, env) -> {});
    cfg.setLogTemplateExceptions(false);
    cfg.setWrapUncheckedExceptions(true);
    cfg.setFallbackOnNullLoopVariable(false);
    cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
    cfg.setAPIBuiltinEnabled(false);
    cfg.setLocalizedLookup(false);
    cfg.setLocale(Locale.ROOT);
    cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
    cfg.setNumberFormat("c");
    cfg.setBooleanFormat("c");
    cfg.setDefaultEncoding("UTF-8");
    cfg.setOutputEncoding("UTF-8");
    return cfg;
  }

  private static String locate(String sourceName, String mainName, String display, Integer line, Integer column) {
    String file = sourceName == null || sourceName.equals(mainName) ? display : sourceName;
    if (line == null || line <= 0) {
      return file + ": ";
    }
    return file + ":" + line + ":" + (column == null ? 0 : column) + ": ";
  }

  private static String syntaxMessage(ParseException e) {
    String editor = e.getEditorMessage();
    return oneLine(editor != null ? editor : e.getMessage());
  }

  private static String message(TemplateException e) {
    if (e instanceof InvalidReferenceException && e.getBlamedExpressionString() != null) {
      return "undefined value: " + e.getBlamedExpressionString()
          + " (give it a value, or a default with " + e.getBlamedExpressionString() + "!\"...\")";
    }
    String text = e.getMessageWithoutStackTop();
    return oneLine(text == null ? e.toString() : text);
  }

  private static UnsafeValueException unsafeCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof UnsafeValueException u) {
        return u;
      }
    }
    return null;
  }

  /**
   * FreeMarker messages span lines with tips; keep the first meaningful line, flattened — and the line after it when
   * the first only announces it ("Template inclusion failed (...):"), or the reason would be lost.
   */
  private static String oneLine(String text) {
    String kept = "";
    for (String line : text.split("\\R")) {
      String trimmed = line.trim();
      if (!trimmed.isEmpty() && !trimmed.startsWith("----") && !trimmed.startsWith("==>")) {
        kept = kept.isEmpty() ? trimmed : kept + " " + trimmed;
        if (!kept.endsWith(":")) {
          return kept.replaceAll("\\s+", " ");
        }
      }
    }
    return kept.isEmpty() ? text.replaceAll("\\s+", " ").trim() : kept.replaceAll("\\s+", " ");
  }
}
