package dev.haproxysd.model;

/**
 * An inventory file is not a valid inventory: malformed JSON, an unsupported version, a missing or unknown field.
 * The message starts with the file name and a line and column or JSON path.
 */
public final class InventoryFormatException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InventoryFormatException(String message) {
    super(message);
  }
}
