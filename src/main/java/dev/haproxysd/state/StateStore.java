package dev.haproxysd.state;

import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryFormatException;
import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.RenderKey;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.Slots;
import dev.haproxysd.model.UnsafeValueException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The state directory ({@code --state-dir}): what the last apply installed ({@code state.json}), the inventory it
 * came from ({@code inventory.json}, readable by {@code --inventory}), the config it replaced
 * ({@code last-known-good.cfg}), numbered backups ({@code backups/NAME.1} newest), a shrink waiting for
 * confirmation ({@code pending-shrink.json}), the configs that failed ({@code quarantine.json}), the instances seen
 * draining for a lifecycle hook ({@code lifecycle.json}), the last download of an S3 inventory ({@code
 * s3-inventory.cache}, its format the reader's), how the last run ended ({@code last-run.json}), what a watching
 * apply did last ({@code watch.json}) and the {@code lock}. Every file is the owner's alone (0600) and read without
 * following a symbolic link.
 *
 * <p>Every write is atomic. A missing or corrupt file is never fatal: {@link #load} warns and returns what it could
 * trust, and the caller compares with the installed config instead.
 */
public final class StateStore {
  static final String STATE_FILE = "state.json";
  static final String INVENTORY_FILE = "inventory.json";
  static final String LAST_KNOWN_GOOD = "last-known-good.cfg";
  static final String BACKUP_DIR = "backups";
  static final String PENDING_SHRINK_FILE = "pending-shrink.json";
  static final String QUARANTINE_FILE = "quarantine.json";
  /** Failed configs remembered; inputs that flip between more failing candidates than this retry the oldest. */
  static final int QUARANTINE_KEEP = 10;
  static final String LIFECYCLE_FILE = "lifecycle.json";
  static final String S3_INVENTORY_CACHE = "s3-inventory.cache";
  static final String DRAIN_REPORT_FILE = "drain-report.json";
  static final String LAST_RUN_FILE = "last-run.json";
  static final String WATCH_FILE = "watch.json";
  private static final Set<PosixFilePermission> MODE_0600 =
      Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
  /** The state dir and backups/: the owner writes, its group (e.g. a monitoring user) may read, others nothing. */
  static final Set<PosixFilePermission> MODE_0750 = PosixFilePermissions.fromString("rwxr-x---");

  private final Path dir;
  private final Log log;

  public StateStore(Path dir, Log log) {
    this.dir = dir;
    this.log = log;
  }

  public Path dir() {
    return dir;
  }

  /** What the state directory says about the last run, trusting only what is complete and consistent. */
  public record Loaded(Optional<AppliedState> state, Optional<Inventory> inventory) {
    public static final Loaded NOTHING = new Loaded(Optional.empty(), Optional.empty());
  }

  /**
   * Reads {@code state.json} and {@code inventory.json}. Missing, unreadable, corrupt or recorded for another
   * config file: a warning and {@link Loaded#NOTHING} (or no inventory), never an exception.
   */
  public Loaded load(Path configFile) {
    Path stateFile = dir.resolve(STATE_FILE);
    AppliedState state;
    try {
      state = AppliedStateJson.parse(new String(readNoFollow(stateFile), StandardCharsets.UTF_8));
    } catch (NoSuchFileException e) {
      log.warn("no state in " + dir + " yet (first run?): comparing with the installed config only");
      return Loaded.NOTHING;
    } catch (IOException e) {
      log.warn("cannot read state file " + stateFile + " (" + oneLine(e) + "): comparing with the installed "
          + "config only");
      return Loaded.NOTHING;
    } catch (RuntimeException e) {
      log.warn("ignoring corrupt state file " + stateFile + " (" + oneLine(e) + "): comparing with the installed "
          + "config only; apply rewrites it");
      return Loaded.NOTHING;
    }
    if (!state.configFile().equals(configFile.toAbsolutePath().toString())) {
      log.warn(stateFile + " was recorded for " + state.configFile() + ", not " + configFile.toAbsolutePath()
          + ": ignoring it (use one --state-dir per config file)");
      return Loaded.NOTHING;
    }
    return new Loaded(Optional.of(state), inventory(state));
  }

  /**
   * The slots the last apply recorded, for {@code render}: whichever config file they were for, and quietly empty
   * when there is no state directory or state yet. An unreadable or corrupt state is a warning.
   */
  public Optional<Slots> recordedSlots() {
    Path stateFile = dir.resolve(STATE_FILE);
    if (!Files.exists(stateFile)) {
      return Optional.empty();
    }
    try {
      return Optional.ofNullable(AppliedStateJson.parse(Files.readString(stateFile, StandardCharsets.UTF_8)).slots());
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read the recorded server slots from " + stateFile + " (" + oneLine(e) + "): slots follow "
          + "from the inventory alone, and may differ from what apply installs");
      return Optional.empty();
    }
  }

  /**
   * The render key the last apply recorded for {@code configFile}, read quietly: a missing, unreadable or corrupt
   * state, or one for another config file, is simply none ({@link #load} is where such a state is reported).
   */
  public Optional<RenderKey> recordedRenderKey(Path configFile) {
    try {
      AppliedState state = AppliedStateJson.parse(new String(readNoFollow(dir.resolve(STATE_FILE)),
          StandardCharsets.UTF_8));
      return state.configFile().equals(configFile.toAbsolutePath().toString()) ? state.renderKey() : Optional.empty();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<Inventory> inventory(AppliedState state) {
    if (state.inventorySha256() == null) {
      return Optional.empty();
    }
    Path file = dir.resolve(INVENTORY_FILE);
    byte[] bytes;
    try {
      bytes = readNoFollow(file);
    } catch (IOException e) {
      log.warn("cannot read " + file + " (" + oneLine(e) + "): the guards have no previous inventory this time");
      return Optional.empty();
    }
    if (!Sha256.of(bytes).equals(state.inventorySha256())) {
      log.warn(file + " does not match " + STATE_FILE + " (a run was interrupted?): the guards have no previous "
          + "inventory to compare with this time");
      return Optional.empty();
    }
    try {
      return Optional.of(InventoryJson.read(bytes, file.toString()));
    } catch (InventoryFormatException | UnsafeValueException e) {
      log.warn("ignoring the recorded inventory " + file + " (" + e.getMessage() + "): the guards cannot compare");
      return Optional.empty();
    }
  }

  /**
   * Records a run: {@code inventory.json} first (when given), then {@code state.json} naming its hash, so a crash
   * between the two leaves a state that {@link #load} recognises as not matching its inventory.
   *
   * @param inventory the inventory {@code state}'s config came from (its {@link AppliedState#inventorySha256}), or
   *     null to keep the recorded one
   */
  public void record(AppliedState state, Inventory inventory) throws IOException {
    createPrivateDirectory(dir);
    if (inventory != null) {
      byte[] json = InventoryJson.bytes(inventory);
      if (!Sha256.of(json).equals(state.inventorySha256())) {
        throw new IllegalArgumentException("the state names inventory " + state.inventorySha256()
            + ", not the one given (" + Sha256.of(json) + ")");
      }
      AtomicFile.write(dir.resolve(INVENTORY_FILE), json, MODE_0600);
    }
    AtomicFile.write(dir.resolve(STATE_FILE), AppliedStateJson.format(state).getBytes(StandardCharsets.UTF_8),
        MODE_0600);
  }

  /** Records a run that wrote no new inventory: the recorded {@code inventory.json} stays. */
  public void record(AppliedState state) throws IOException {
    record(state, null);
  }

  /**
   * Keeps {@code config} (the file about to be replaced) as {@code last-known-good.cfg}, and rotates it into the
   * numbered backups {@code backups/NAME.1} (newest) to {@code NAME.keep}, each with the config's own {@code mode}
   * (a config that holds a stats password is not readable by more people as a backup than as itself).
   */
  public void keepLastKnownGood(byte[] config, String name, int keep, Set<PosixFilePermission> mode)
      throws IOException {
    createPrivateDirectory(dir);
    AtomicFile.writeWithMode(dir.resolve(LAST_KNOWN_GOOD), config, mode);
    new Backups(dir.resolve(BACKUP_DIR), name, keep).add(config, mode);
  }

  /** {@link #keepLastKnownGood(byte[], String, int, Set)} with mode 0600. */
  public void keepLastKnownGood(byte[] config, String name, int keep) throws IOException {
    keepLastKnownGood(config, name, keep, MODE_0600);
  }

  /**
   * Creates {@code dir} (and missing parents) with mode 0750 when it does not exist; an existing directory keeps the
   * mode its admin gave it. A symbolic link in its place is refused: writes through it could land anywhere.
   */
  static void createPrivateDirectory(Path dir) throws IOException {
    if (Files.isSymbolicLink(dir) && dir.getFileName() != null && dir.getFileName().toString().equals(BACKUP_DIR)) {
      throw new IOException(dir + " is a symbolic link; refusing to write backups through it (remove it)");
    }
    if (Files.isDirectory(dir)) {
      return;
    }
    Path parent = dir.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    try {
      Files.createDirectory(dir);
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return; // another run created it first
    }
    PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class,
        LinkOption.NOFOLLOW_LINKS);
    if (view != null) {
      view.setPermissions(MODE_0750); // explicitly: the umask would have trimmed a create-time attribute
    }
  }

  /** Reads a state file, refusing a symbolic link in its place (O_NOFOLLOW): it could point at any file. */
  static byte[] readNoFollow(Path file) throws IOException {
    try (SeekableByteChannel channel = Files.newByteChannel(file, Set.of(StandardOpenOption.READ,
        LinkOption.NOFOLLOW_LINKS))) {
      return Channels.newInputStream(channel).readAllBytes();
    } catch (FileSystemException e) {
      if (Files.isSymbolicLink(file)) {
        throw new IOException(file + " is a symbolic link; refusing to read through it (remove it)", e);
      }
      throw e;
    }
  }

  /** The config {@link #keepLastKnownGood} kept, if any. */
  public Optional<byte[]> lastKnownGood() throws IOException {
    try {
      return Optional.of(readNoFollow(dir.resolve(LAST_KNOWN_GOOD)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** The shrink waiting for confirmation, if any; an unreadable or corrupt file is a warning and counts as none. */
  public Optional<PendingShrink> pendingShrink() {
    return readOptional(PENDING_SHRINK_FILE, PendingShrinkJson::parse, "the shrink starts its count again");
  }

  public void recordPendingShrink(PendingShrink pending) throws IOException {
    createPrivateDirectory(dir);
    AtomicFile.write(dir.resolve(PENDING_SHRINK_FILE),
        PendingShrinkJson.format(pending).getBytes(StandardCharsets.UTF_8), MODE_0600);
  }

  /** Forgets the pending shrink: it was applied, or a run did not see it. */
  public void forgetPendingShrink() throws IOException {
    Files.deleteIfExists(dir.resolve(PENDING_SHRINK_FILE));
  }

  /** The record of a failed config with these bytes, if one is kept. */
  public Optional<QuarantinedConfig> quarantined(Sha256 config) {
    return quarantine().stream().filter(q -> q.config().equals(config)).findFirst();
  }

  /** Keeps {@code failed} (newest first, at most {@link #QUARANTINE_KEEP}), replacing an older record of it. */
  public void quarantine(QuarantinedConfig failed) throws IOException {
    List<QuarantinedConfig> kept = new ArrayList<>();
    kept.add(failed);
    quarantine().stream().filter(q -> !q.config().equals(failed.config())).limit(QUARANTINE_KEEP - 1)
        .forEach(kept::add);
    writeQuarantine(kept);
  }

  /** Forgets a quarantined config: it was applied after all ({@code --force}). */
  public void release(Sha256 config) throws IOException {
    List<QuarantinedConfig> all = quarantine();
    List<QuarantinedConfig> kept = all.stream().filter(q -> !q.config().equals(config)).toList();
    if (kept.size() != all.size()) {
      writeQuarantine(kept);
    }
  }

  private List<QuarantinedConfig> quarantine() {
    return readOptional(QUARANTINE_FILE, QuarantineJson::parse, "failed configs may be tried once more")
        .orElse(List.of());
  }

  private void writeQuarantine(List<QuarantinedConfig> configs) throws IOException {
    createPrivateDirectory(dir);
    AtomicFile.write(dir.resolve(QUARANTINE_FILE), QuarantineJson.format(configs).getBytes(StandardCharsets.UTF_8),
        MODE_0600);
  }

  private <T> Optional<T> readOptional(String name, java.util.function.Function<String, T> parser, String consequence) {
    StateReader.Read<T> read = StateReader.read(dir, name, parser);
    if (read.problem() != null) {
      log.warn("ignoring " + dir.resolve(name) + " (" + read.problem() + "): " + consequence);
    }
    return read.optional();
  }

  /**
   * The instances this balancer has seen waiting in {@code Terminating:Wait} ({@code lifecycle.json}); an unreadable
   * or corrupt file is a warning and counts as none seen (their drain time starts again).
   */
  public List<DrainingInstance> draining() {
    return readOptional(LIFECYCLE_FILE, DrainingJson::parse, "draining instances count as first seen now")
        .orElse(List.of());
  }

  /** Replaces {@code lifecycle.json} with {@code draining}; none: the file goes. */
  public void recordDraining(List<DrainingInstance> draining) throws IOException {
    Path file = dir.resolve(LIFECYCLE_FILE);
    if (draining.isEmpty()) {
      Files.deleteIfExists(file);
      return;
    }
    createPrivateDirectory(dir);
    AtomicFile.write(file, DrainingJson.format(draining).getBytes(StandardCharsets.UTF_8), MODE_0600);
  }

  /** Where {@link #s3InventoryCache} is kept, for messages. */
  public Path s3InventoryCacheFile() {
    return dir.resolve(S3_INVENTORY_CACHE);
  }

  /**
   * The S3 inventory reader's last download as it wrote it ({@link #recordS3InventoryCache}), if there is one.
   *
   * @throws IOException when it cannot be read, a symbolic link included
   */
  public Optional<byte[]> s3InventoryCache() throws IOException {
    try {
      return Optional.of(readNoFollow(s3InventoryCacheFile()));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  /** Replaces the S3 inventory reader's last download. */
  public void recordS3InventoryCache(byte[] content) throws IOException {
    createPrivateDirectory(dir);
    AtomicFile.write(s3InventoryCacheFile(), content, MODE_0600);
  }

  /**
   * The drain report this balancer last wrote to S3 ({@code drain-report.json}, as written), or empty; an unreadable
   * file counts as none (the next run writes the report again).
   */
  public Optional<byte[]> lastDrainReport() {
    return readOptional(DRAIN_REPORT_FILE, text -> text.getBytes(StandardCharsets.UTF_8),
        "the drain report is written again");
  }

  /** Remembers the drain report just written to S3. */
  public void recordDrainReport(byte[] json) throws IOException {
    createPrivateDirectory(dir);
    AtomicFile.write(dir.resolve(DRAIN_REPORT_FILE), json, MODE_0600);
  }

  /**
   * Records how a run ended, whatever way, unless the recorded run ended exactly like it (see {@link LastRun}): an
   * unchanged run writes nothing.
   */
  public void recordLastRun(LastRun run) throws IOException {
    LastRun recorded = StateReader.read(dir, LAST_RUN_FILE, LastRunJson::parse).value();
    if (recorded != null && recorded.endsLike(run)) {
      return;
    }
    createPrivateDirectory(dir);
    AtomicFile.write(dir.resolve(LAST_RUN_FILE), LastRunJson.format(run).getBytes(StandardCharsets.UTF_8), MODE_0600);
  }

  /** Records what a watching apply did last: see {@link WatchStatus}. */
  public void recordWatch(WatchStatus watch) throws IOException {
    createPrivateDirectory(dir);
    AtomicFile.write(dir.resolve(WATCH_FILE), WatchStatusJson.format(watch).getBytes(StandardCharsets.UTF_8),
        MODE_0600);
  }

  /** See {@link StateLock#acquire}. */
  public StateLock lock(Duration timeout, Clock clock) throws IOException {
    return StateLock.acquire(dir, timeout, clock);
  }

  private static String oneLine(Exception e) {
    return StateReader.oneLine(e);
  }
}
