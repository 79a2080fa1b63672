package dev.haproxysd.render;

/** A template could not be found, parsed or rendered. The message reads {@code template.ftl:LINE:COL: message}. */
public final class TemplateError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public TemplateError(String message) {
    super(message);
  }

  TemplateError(String message, Throwable cause) {
    super(message, cause);
  }
}
