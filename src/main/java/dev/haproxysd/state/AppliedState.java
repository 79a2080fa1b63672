package dev.haproxysd.state;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.RenderKey;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * What the last apply left installed, as recorded in {@code STATE_DIR/state.json} (see {@link AppliedStateJson}).
 * Built through the factories, one per way a run ends:
 *
 * <pre>{@code
 * AppliedState.applied(target, sha, Proof.RELOAD, Origin.of(inventory, slots), now);
 * AppliedState.rolledBack(target, restoredSha, failedSha, previousOrigin, now);
 * AppliedState.rollbackFailed(target, shaOnDisk, failedSha, now);
 * }</pre>
 *
 * @param configFile the absolute path of the config file it was applied to
 * @param configSha256 the config now installed at {@code configFile} (after a rollback: the restored one)
 * @param appliedAt when the run finished
 * @param outcome how the run ended
 * @param proof what proves haproxy runs {@code configSha256}
 * @param origin the inventory and server slots {@code configSha256} was rendered from, as far as known
 * @param failedSha256 after a failed reload: the config whose reload failed; otherwise null
 */
public record AppliedState(
    String configFile,
    Sha256 configSha256,
    Instant appliedAt,
    Result outcome,
    Proof proof,
    Origin origin,
    Sha256 failedSha256) {

  /**
   * How the apply run that wrote the record ended, as {@code state.json}'s {@code outcome} says (the run's own
   * {@code pipeline.Outcome} tells more, but is not recorded).
   */
  public enum Result {
    /** Installed (and reloaded, when a reload was configured). */
    APPLIED,
    /** The reload failed; the previous config was restored and reloaded. */
    ROLLED_BACK,
    /** The reload failed and so did the rollback: haproxy may still run an older config than the file holds. */
    ROLLBACK_FAILED
  }

  /** What proves that haproxy runs the recorded config; only a proved one lets the next run use the runtime API. */
  public enum Proof {
    /** Nothing: installed without a reload, or the state was repaired from a matching file. */
    NONE,
    /** Changed through the runtime API and checked with {@code show servers state}. */
    RUNTIME_API,
    /** Reloaded with it and the reload verified. */
    RELOAD,
    /**
     * Found running: haproxy's worker started after the file was written, and its {@code show servers state} has
     * exactly the config's servers at their addresses, ports and admin states.
     */
    ADOPTED
  }

  /**
   * Where a config came from.
   *
   * @param inventorySha256 the inventory in {@code STATE_DIR/inventory.json}, or null when unknown
   * @param slots the server slots it was rendered with, or null when unknown
   * @param renderKey what its render depended on, to skip the next render when nothing changed; or null
   */
  public record Origin(Sha256 inventorySha256, Slots slots, RenderKey renderKey) {
    public static final Origin UNKNOWN = new Origin(null, null, null);

    public Origin(Sha256 inventorySha256, Slots slots) {
      this(inventorySha256, slots, null);
    }

    public static Origin of(Inventory inventory, Slots slots) {
      return of(inventory, slots, null);
    }

    /** @param renderKey the key of the render that gave the config, or null */
    public static Origin of(Inventory inventory, Slots slots, RenderKey renderKey) {
      return new Origin(Sha256.of(InventoryJson.bytes(inventory)), slots, renderKey);
    }
  }

  public AppliedState {
    Objects.requireNonNull(configFile, "configFile");
    Objects.requireNonNull(configSha256, "configSha256");
    Objects.requireNonNull(appliedAt, "appliedAt");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(proof, "proof");
    Objects.requireNonNull(origin, "origin");
    if ((failedSha256 == null) != (outcome == Result.APPLIED)) {
      throw new IllegalArgumentException("failedSha256 (" + failedSha256 + ") must be given exactly when a reload "
          + "failed, not for outcome " + outcome);
    }
  }

  public static AppliedState applied(Path configFile, Sha256 config, Proof proof, Origin origin, Instant at) {
    return new AppliedState(absolute(configFile), config, at, Result.APPLIED, proof, origin, null);
  }

  /** The reload of {@code failed} failed; {@code restored} was put back and reloaded. */
  public static AppliedState rolledBack(Path configFile, Sha256 restored, Sha256 failed, Origin restoredOrigin,
      Instant at) {
    return new AppliedState(absolute(configFile), restored, at, Result.ROLLED_BACK, Proof.RELOAD, restoredOrigin,
        failed);
  }

  /** The reload of {@code failed} failed and so did the rollback; {@code onDisk} is what the file holds now. */
  public static AppliedState rollbackFailed(Path configFile, Sha256 onDisk, Sha256 failed, Instant at) {
    return new AppliedState(absolute(configFile), onDisk, at, Result.ROLLBACK_FAILED, Proof.NONE, Origin.UNKNOWN,
        failed);
  }

  private static String absolute(Path configFile) {
    return configFile.toAbsolutePath().toString();
  }

  /** haproxy was reloaded with {@code configSha256} and the reload verified. */
  public boolean reloaded() {
    return proof == Proof.RELOAD;
  }

  /** haproxy was proved to run {@code configSha256}; only then may the next run use the runtime API. */
  public boolean live() {
    return proof != Proof.NONE;
  }

  public Slots slots() {
    return origin.slots();
  }

  public Sha256 inventorySha256() {
    return origin.inventorySha256();
  }

  /** What the render of {@code configSha256} depended on, if recorded. */
  /**
   * This state with {@code key} as the render key of its config, everything else as recorded: for a run that
   * rendered the installed bytes again from inputs the recorded key does not cover.
   *
   * @throws IllegalArgumentException when {@code key} rendered another config
   */
  public AppliedState withRenderKey(RenderKey key) {
    if (!key.config().equals(configSha256)) {
      throw new IllegalArgumentException("the render key is for config " + key.config() + ", not " + configSha256);
    }
    return new AppliedState(configFile, configSha256, appliedAt, outcome, proof,
        new Origin(origin.inventorySha256(), origin.slots(), key), failedSha256);
  }

  public java.util.Optional<RenderKey> renderKey() {
    return java.util.Optional.ofNullable(origin.renderKey());
  }
}
