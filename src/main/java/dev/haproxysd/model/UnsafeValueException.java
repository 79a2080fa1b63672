package dev.haproxysd.model;

/**
 * A value that could add, cut or change a configuration directive was refused. The message names where the value
 * came from (service, server, field) and why it was refused; it never echoes the raw value unescaped.
 */
public final class UnsafeValueException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public UnsafeValueException(String message) {
    super(message);
  }

  /** The same refusal with more context in front, e.g. {@code service 'web': }. */
  public UnsafeValueException within(String context) {
    return new UnsafeValueException(context + ": " + getMessage());
  }
}
