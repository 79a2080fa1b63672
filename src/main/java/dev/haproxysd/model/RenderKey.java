package dev.haproxysd.model;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * What {@code apply} records about the render of the config it installed, so the next run can prove, without
 * FreeMarker, that rendering again would give the same bytes: the digest of all its {@link RenderInputs}, the
 * config they gave, and the template files to read again to recompute it.
 *
 * @param digest {@link RenderInputs#digest()} of the render
 * @param config the SHA-256 of the config that render produced
 * @param build {@link RenderInputs#build()} of the render (a template is only parsed late for the same build)
 * @param template {@link RenderInputs#location()} of the render
 * @param files {@link RenderInputs#files()} of the render, sorted by name
 */
public record RenderKey(Sha256 digest, Sha256 config, String build, String template, List<TemplateFile> files) {
  public RenderKey {
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(build, "build");
    Objects.requireNonNull(template, "template");
    files = files.stream().sorted(Comparator.comparing(TemplateFile::name)).toList();
    if (files.stream().map(TemplateFile::name).distinct().count() != files.size()) {
      throw new IllegalArgumentException("template files (" + files + ") must be named once each");
    }
  }

  /** The key of a render of {@code inputs} that produced {@code config}. */
  public static RenderKey of(RenderInputs inputs, Sha256 config) {
    return new RenderKey(inputs.digest(), config, inputs.build(), inputs.location(), inputs.files());
  }
}
