package dev.haproxysd.render;

import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.TemplateFile;
import freemarker.cache.TemplateLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wraps a template loader and records every file FreeMarker looks up through it, with the digest of exactly the
 * bytes it was given (read once, then decoded as FreeMarker asked), so that a later run can re-read those files
 * and know the template is the same.
 */
final class RecordingLoader implements TemplateLoader {
  /**
   * {@code .now} (the only input FreeMarker adds besides the files and data) and {@code ?eval}/{@code ?interpret}
   * (which could build {@code .now} from text): a template mentioning any of these words anywhere, even in a
   * comment, is not trusted to render the same bytes twice.
   */
  private static final Pattern UNREPEATABLE = Pattern.compile("\\b(now|eval|interpret)\\b");

  private final TemplateLoader delegate;
  private final Map<String, TemplateFile> looked = new TreeMap<>();
  private String notRepeatable;

  RecordingLoader(TemplateLoader delegate) {
    this.delegate = delegate;
  }

  /** A source the delegate found, with the name it was found by. */
  private record Found(String name, Object source) {}

  synchronized TemplateReads reads() {
    return new TemplateReads(looked.values().stream().toList(), notRepeatable);
  }

  @Override
  public Object findTemplateSource(String name) throws IOException {
    Object source = delegate.findTemplateSource(name);
    if (source == null) {
      note(TemplateFile.absent(name));
      return null;
    }
    return new Found(name, source);
  }

  @Override
  public long getLastModified(Object templateSource) {
    return delegate.getLastModified(((Found) templateSource).source());
  }

  @Override
  public Reader getReader(Object templateSource, String encoding) throws IOException {
    Found found = (Found) templateSource;
    byte[] bytes;
    // ISO-8859-1 maps each byte to one char and back: the exact bytes, through the delegate's own reader.
    try (Reader raw = delegate.getReader(found.source(), StandardCharsets.ISO_8859_1.name())) {
      StringWriter chars = new StringWriter();
      raw.transferTo(chars);
      bytes = chars.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
    note(new TemplateFile(found.name(), Sha256.of(bytes)));
    String text;
    try (Reader decoded = new InputStreamReader(new ByteArrayInputStream(bytes), encoding)) {
      StringWriter chars = new StringWriter(bytes.length);
      decoded.transferTo(chars);
      text = chars.toString();
    }
    Matcher unrepeatable = UNREPEATABLE.matcher(text);
    if (unrepeatable.find()) {
      unrepeatable(found.name() + " mentions '" + unrepeatable.group(1) + "' (.now, ?eval or ?interpret)");
    }
    return new StringReader(text);
  }

  @Override
  public void closeTemplateSource(Object templateSource) throws IOException {
    delegate.closeTemplateSource(((Found) templateSource).source());
  }

  private synchronized void note(TemplateFile file) {
    TemplateFile before = looked.putIfAbsent(file.name(), file);
    if (before != null && !Objects.equals(before, file)) {
      unrepeatable(file.name() + " changed while the template was read");
    }
  }

  private synchronized void unrepeatable(String why) {
    if (notRepeatable == null) {
      notRepeatable = why;
    }
  }
}
