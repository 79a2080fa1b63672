package dev.haproxysd.render;

import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.TemplateFile;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which template a run renders with, resolved once: a built-in or a file, and where its includes are found. It
 * reads template files the way {@link TemplateEngine}'s loaders do, without FreeMarker, so a run can tell that the
 * files the last render read are unchanged before (or instead of) parsing them.
 *
 * <pre>{@code
 * TemplateRef ref = TemplateRef.of("./haproxy.cfg.ftl");
 * ref.location();                  // "/etc/haproxy-sd/haproxy.cfg.ftl"
 * ref.firstChanged(recordedFiles); // Optional.empty(): every file still holds the bytes recorded
 * }</pre>
 */
public final class TemplateRef {
  private final String reference;
  private final String builtin;
  private final Path file;

  private TemplateRef(String reference, String builtin, Path file) {
    this.reference = reference;
    this.builtin = builtin;
    this.file = file;
  }

  /** @param reference {@code builtin:NAME} or a template file path (relative to the working directory) */
  public static TemplateRef of(String reference) {
    Objects.requireNonNull(reference, "reference");
    if (reference.startsWith(TemplateEngine.BUILTIN_PREFIX)) {
      return new TemplateRef(reference, reference.substring(TemplateEngine.BUILTIN_PREFIX.length()), null);
    }
    return new TemplateRef(reference, null, Path.of(reference).toAbsolutePath().normalize());
  }

  /** The template as the user named it, e.g. {@code builtin:asg-http} or {@code ./haproxy.cfg.ftl}. */
  public String reference() {
    return reference;
  }

  /** {@code builtin:NAME}, or the absolute path of the template file. */
  public String location() {
    return builtin != null ? TemplateEngine.BUILTIN_PREFIX + builtin : file.toString();
  }

  /** The built-in's name, or null for a template file. */
  String builtin() {
    return builtin;
  }

  /** The template file, or null for a built-in. */
  Path file() {
    return file;
  }

  /**
   * The first of {@code recorded} that does not hold the same bytes now (or is there now and was not, or the
   * reverse, or cannot be read, or would be refused as outside the template directory); empty when all match.
   */
  public Optional<String> firstChanged(List<TemplateFile> recorded) {
    for (TemplateFile was : recorded) {
      Optional<TemplateFile> now = reread(was.name());
      if (now.isEmpty() || !now.get().equals(was)) {
        return Optional.of(was.name());
      }
    }
    return Optional.empty();
  }

  /** {@code name} as the template's loader would find it now; empty when it cannot be read or would be refused. */
  Optional<TemplateFile> reread(String name) {
    try {
      return builtin != null ? builtinFile(name) : templateFile(name);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<TemplateFile> builtinFile(String name) throws IOException {
    URL url = TemplateRef.class.getResource(TemplateEngine.BUILTIN_DIR + "/" + name);
    if (url == null) {
      return Optional.of(TemplateFile.absent(name));
    }
    try (InputStream in = url.openStream()) {
      return Optional.of(new TemplateFile(name, Sha256.of(in.readAllBytes())));
    }
  }

  /** As FreeMarker's FileTemplateLoader: under the canonical template directory, links must not lead out of it. */
  private Optional<TemplateFile> templateFile(String name) throws IOException {
    File base = file.getParent().toFile().getCanonicalFile();
    String basePath = base.getPath().endsWith(File.separator) ? base.getPath() : base.getPath() + File.separator;
    File found = new File(base, name.replace('/', File.separatorChar));
    if (!found.isFile()) {
      return Optional.of(TemplateFile.absent(name));
    }
    if (!found.getCanonicalPath().startsWith(basePath)) {
      return Optional.empty();
    }
    return Optional.of(new TemplateFile(name, Sha256.of(Files.readAllBytes(found.toPath()))));
  }

  @Override
  public String toString() {
    return reference;
  }
}
