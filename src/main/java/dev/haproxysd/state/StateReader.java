package dev.haproxysd.state;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The state directory for {@code status}: every file read as it is, without a lock and without writing, each
 * answer saying whether the file is absent, read, or unreadable and why. (A run reads through {@link StateStore},
 * which turns an unreadable file into a warning and carries on.)
 */
public final class StateReader {
  private final Path dir;

  public StateReader(Path dir) {
    this.dir = dir;
  }

  public Path dir() {
    return dir;
  }

  /**
   * One state file as read.
   *
   * @param name the file's name in the state directory
   * @param value what it holds; null when absent or unreadable
   * @param problem why it could not be used, one line; null when absent or read
   */
  public record Read<T>(String name, T value, String problem) {
    public boolean absent() {
      return value == null && problem == null;
    }

    public Optional<T> optional() {
      return Optional.ofNullable(value);
    }
  }

  /** The directory exists (it may still be empty). */
  public boolean exists() {
    return Files.isDirectory(dir);
  }

  public Read<LastRun> lastRun() {
    return read(dir, StateStore.LAST_RUN_FILE, LastRunJson::parse);
  }

  public Read<AppliedState> applied() {
    return read(dir, StateStore.STATE_FILE, AppliedStateJson::parse);
  }

  /** The inventory {@code applied}'s config came from, if {@code inventory.json} still is that one. */
  public Read<Inventory> inventory(AppliedState applied) {
    String name = StateStore.INVENTORY_FILE;
    if (applied.inventorySha256() == null) {
      return new Read<>(name, null, null);
    }
    return read(dir, name, text -> {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      if (!Sha256.of(bytes).equals(applied.inventorySha256())) {
        throw new IllegalArgumentException("does not match " + StateStore.STATE_FILE + " (a run was interrupted?)");
      }
      try {
        return InventoryJson.read(bytes, name);
      } catch (Exception e) {
        throw new IllegalArgumentException(e.getMessage(), e);
      }
    });
  }

  public Read<PendingShrink> pendingShrink() {
    return read(dir, StateStore.PENDING_SHRINK_FILE, PendingShrinkJson::parse);
  }

  public Read<List<QuarantinedConfig>> quarantine() {
    return read(dir, StateStore.QUARANTINE_FILE, QuarantineJson::parse);
  }

  public Read<List<DrainingInstance>> draining() {
    return read(dir, StateStore.LIFECYCLE_FILE, DrainingJson::parse);
  }

  public Read<WatchStatus> watch() {
    return read(dir, StateStore.WATCH_FILE, WatchStatusJson::parse);
  }

  /** Reads {@code dir/name} through {@code parser}; never throws. */
  static <T> Read<T> read(Path dir, String name, Function<String, T> parser) {
    Path file = dir.resolve(name);
    try {
      return new Read<>(name, parser.apply(new String(StateStore.readNoFollow(file), StandardCharsets.UTF_8)), null);
    } catch (NoSuchFileException e) {
      return new Read<>(name, null, null);
    } catch (IOException | RuntimeException e) {
      return new Read<>(name, null, oneLine(e));
    }
  }

  static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replaceAll("\\R", " ");
  }
}
