package dev.haproxysd.state;

import dev.haproxysd.model.Slots;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the last apply left installed, as recorded in {@code STATE_DIR/state.json}.
 *
 * @param configFile the config file it was applied to
 * @param configSha256 SHA-256 of the config now installed at {@code configFile} (after a rollback: of the restored
 *     one)
 * @param appliedAt when the run finished
 * @param outcome how the run ended
 * @param reloaded whether haproxy was reloaded with {@code configSha256} and the reload verified
 * @param inventorySha256 SHA-256 of {@code STATE_DIR/inventory.json}, the inventory {@code configSha256} came from;
 *     null when unknown
 * @param failedSha256 after a rollback: SHA-256 of the config whose reload failed; otherwise null
 * @param live haproxy was proved to run {@code configSha256}: reloaded with it, or changed through the runtime API
 *     and checked with {@code show servers state}; only then may the next run use the runtime API
 * @param slots the server slots {@code configSha256} was rendered with, or null when unknown
 */
public record AppliedState(
    String configFile,
    String configSha256,
    Instant appliedAt,
    Outcome outcome,
    boolean reloaded,
    String inventorySha256,
    String failedSha256,
    boolean live,
    Slots slots) {

  static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  /** How an apply run ended. */
  public enum Outcome {
    /** Installed (and reloaded, when a reload was configured). */
    APPLIED,
    /** The reload failed; the previous config was restored and reloaded. */
    ROLLED_BACK,
    /** The reload failed and so did the rollback: haproxy may still run an older config than the file holds. */
    ROLLBACK_FAILED
  }

  /** A state without slots, live when it was reloaded. */
  public AppliedState(String configFile, String configSha256, Instant appliedAt, Outcome outcome, boolean reloaded,
      String inventorySha256, String failedSha256) {
    this(configFile, configSha256, appliedAt, outcome, reloaded, inventorySha256, failedSha256, reloaded, null);
  }

  public AppliedState {
    Objects.requireNonNull(configFile, "configFile");
    requireSha("configSha256", configSha256);
    Objects.requireNonNull(appliedAt, "appliedAt");
    Objects.requireNonNull(outcome, "outcome");
    if (inventorySha256 != null) {
      requireSha("inventorySha256", inventorySha256);
    }
    if (failedSha256 != null) {
      requireSha("failedSha256", failedSha256);
    }
  }

  private static void requireSha(String field, String value) {
    if (value == null || !SHA256.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " (" + value + ") is not a lower-case hex SHA-256");
    }
  }
}
