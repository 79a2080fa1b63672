package dev.haproxysd.render;

import dev.haproxysd.model.TemplateFile;
import java.util.List;
import java.util.Optional;

/**
 * The template files a {@link TemplateEngine} looked up so far (the main file when it was parsed, includes and
 * imports when it rendered), and whether a render from the same files can be trusted to repeat itself.
 *
 * @param files each file once, sorted by name
 * @param notRepeatable why the same files and data may render differently (the template reads the clock or
 *     evaluates text, or a file changed while it was being read), or null
 */
public record TemplateReads(List<TemplateFile> files, String notRepeatable) {
  public TemplateReads {
    files = List.copyOf(files);
  }

  /** The files, when the same files and data always render the same bytes. */
  public Optional<List<TemplateFile>> repeatable() {
    return notRepeatable == null ? Optional.of(files) : Optional.empty();
  }
}
