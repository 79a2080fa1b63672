package dev.haproxysd.fleet;

/**
 * The shared inventory is older than {@code --max-inventory-age}: its publisher is dead or stuck. The message says
 * how old it is and where it came from; nothing was rendered from it.
 */
public final class StaleInventoryException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  StaleInventoryException(String message) {
    super(message);
  }
}
