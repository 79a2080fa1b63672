package dev.haproxysd.model;

import java.util.Objects;

/**
 * One file a render's template looked up: the main file, an {@code <#include>} or an {@code <#import>}, named as
 * FreeMarker names it under the template's directory (or the built-ins' package).
 *
 * @param name e.g. {@code haproxy.cfg.ftl} or {@code parts/backend.ftl}
 * @param sha256 the bytes it held, or null when it was looked up and not there (an optional include)
 */
public record TemplateFile(String name, Sha256 sha256) {
  public TemplateFile {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("template file name must not be empty");
    }
  }

  /** A file the template looked for and did not find. */
  public static TemplateFile absent(String name) {
    return new TemplateFile(name, null);
  }

  public boolean present() {
    return sha256 != null;
  }

  // Written out: a record's generated methods link through ObjectMethods on first use (see model/Sha256).
  @Override
  public boolean equals(Object other) {
    return other instanceof TemplateFile that && name.equals(that.name) && Objects.equals(sha256, that.sha256);
  }

  @Override
  public int hashCode() {
    return 31 * name.hashCode() + Objects.hashCode(sha256);
  }

  @Override
  public String toString() {
    return "TemplateFile[name=" + name + ", sha256=" + sha256 + "]";
  }
}
