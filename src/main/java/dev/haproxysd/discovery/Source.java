package dev.haproxysd.discovery;

import dev.haproxysd.model.Inventory;

/** One origin of services. Implementations return a complete inventory or throw; never a partial one. */
public interface Source {
  /**
   * @throws DiscoveryException when a call or page failed
   * @throws InventoryFormatException when an inventory file cannot be read as one
   * @throws dev.haproxysd.model.UnsafeValueException when a value could not be rendered safely
   */
  Inventory discover();

  /** An inventory file, or {@code -} for standard input. */
  static Source file(java.nio.file.Path path, java.io.InputStream stdin) {
    return new FileSource(path, stdin);
  }
}
