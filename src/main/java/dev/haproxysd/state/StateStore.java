package dev.haproxysd.state;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonWriter;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Slots;
import dev.haproxysd.model.UnsafeValueException;
import java.io.IOException;
import java.io.StringWriter;
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
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Optional;
import java.util.Set;

/**
 * The state directory ({@code --state-dir}): what the last apply installed ({@code state.json}), the inventory it
 * came from ({@code inventory.json}, readable by {@code --inventory}), the config it replaced
 * ({@code last-known-good.cfg}), numbered backups ({@code backups/NAME.1} newest) and the {@code lock}.
 *
 * <p>Every write is atomic. A missing or corrupt file is never fatal: {@link #load} warns and returns what it could
 * trust, and the caller compares with the installed config instead.
 */
public final class StateStore {
  public static final int VERSION = 1;
  static final String STATE_FILE = "state.json";
  static final String INVENTORY_FILE = "inventory.json";
  static final String LAST_KNOWN_GOOD = "last-known-good.cfg";
  static final String BACKUP_DIR = "backups";
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
  public record Loaded(Optional<AppliedState> state, Optional<byte[]> inventoryJson) {
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
      state = parse(new String(readNoFollow(stateFile), StandardCharsets.UTF_8));
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
      return Optional.ofNullable(parse(Files.readString(stateFile, StandardCharsets.UTF_8)).slots());
    } catch (IOException | RuntimeException e) {
      log.warn("cannot read the recorded server slots from " + stateFile + " (" + oneLine(e) + "): slots follow "
          + "from the inventory alone, and may differ from what apply installs");
      return Optional.empty();
    }
  }

  private Optional<byte[]> inventory(AppliedState state) {
    if (state.inventorySha256() == null) {
      return Optional.empty();
    }
    Path file = dir.resolve(INVENTORY_FILE);
    try {
      byte[] bytes = readNoFollow(file);
      if (!sha256(bytes).equals(state.inventorySha256())) {
        log.warn(file + " does not match " + STATE_FILE + " (a run was interrupted?): the guards have no previous "
            + "inventory to compare with this time");
        return Optional.empty();
      }
      return Optional.of(bytes);
    } catch (IOException e) {
      log.warn("cannot read " + file + " (" + oneLine(e) + "): the guards have no previous inventory this time");
      return Optional.empty();
    }
  }

  /**
   * Records a run: {@code inventory.json} first (when given), then {@code state.json} naming its hash, so a crash
   * between the two leaves a state that {@link #load} recognises as not matching its inventory.
   *
   * @param inventoryJson the inventory {@code state}'s config came from, or null to keep the recorded one
   */
  public void record(AppliedState state, byte[] inventoryJson) throws IOException {
    createPrivateDirectory(dir);
    if (inventoryJson != null) {
      AtomicFile.write(dir.resolve(INVENTORY_FILE), inventoryJson, MODE_0600);
    }
    AtomicFile.write(dir.resolve(STATE_FILE), format(state).getBytes(StandardCharsets.UTF_8), MODE_0600);
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
  private static byte[] readNoFollow(Path file) throws IOException {
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

  /** See {@link StateLock#acquire}. */
  public StateLock lock(Duration timeout, Clock clock) throws IOException {
    return StateLock.acquire(dir, timeout, clock);
  }

  public static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JRE has SHA-256", e);
    }
  }

  static String format(AppliedState s) {
    StringWriter text = new StringWriter();
    try (JsonWriter json = new JsonWriter(text)) {
      json.setIndent("  ");
      json.beginObject();
      json.name("version").value(VERSION);
      json.name("configFile").value(s.configFile());
      json.name("configSha256").value(s.configSha256());
      json.name("appliedAt").value(s.appliedAt().toString());
      json.name("outcome").value(s.outcome().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
      json.name("reloaded").value(s.reloaded());
      if (s.inventorySha256() != null) {
        json.name("inventorySha256").value(s.inventorySha256());
      }
      if (s.failedSha256() != null) {
        json.name("failedSha256").value(s.failedSha256());
      }
      json.name("live").value(s.live());
      if (s.slots() != null) {
        json.name("slots").beginObject();
        json.name("rule").value(s.slots().rule());
        json.name("services").beginObject();
        for (Map.Entry<String, List<String>> service : s.slots().services().entrySet()) {
          json.name(service.getKey()).beginArray();
          for (String id : service.getValue()) {
            if (Slots.FREE.equals(id)) {
              json.nullValue();
            } else {
              json.value(id);
            }
          }
          json.endArray();
        }
        json.endObject();
        json.endObject();
      }
      json.endObject();
    } catch (IOException e) {
      throw new IllegalStateException("a StringWriter does not fail", e);
    }
    return text + "\n";
  }

  static AppliedState parse(String text) {
    JsonObject o;
    try {
      JsonElement root = JsonParser.parseString(text);
      if (!root.isJsonObject()) {
        throw new IllegalArgumentException("not a JSON object");
      }
      o = root.getAsJsonObject();
    } catch (JsonParseException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    int version = intField(o, "version");
    if (version > VERSION) {
      throw new IllegalArgumentException("written by a newer haproxy-sd: version " + version + ", this one reads "
          + VERSION);
    }
    if (version != VERSION) {
      throw new IllegalArgumentException("version " + version + ", expected " + VERSION);
    }
    try {
      boolean reloaded = bool(o, "reloaded");
      return new AppliedState(
          string(o, "configFile", true),
          string(o, "configSha256", true),
          Instant.parse(string(o, "appliedAt", true)),
          AppliedState.Outcome.valueOf(string(o, "outcome", true).toUpperCase(java.util.Locale.ROOT)
              .replace('-', '_')),
          reloaded,
          string(o, "inventorySha256", false),
          string(o, "failedSha256", false),
          o.has("live") ? bool(o, "live") : reloaded,
          slots(o.get("slots")));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("appliedAt is not an ISO-8601 instant", e);
    }
  }

  private static Slots slots(JsonElement e) {
    if (e == null || e.isJsonNull()) {
      return null;
    }
    if (!e.isJsonObject()) {
      throw new IllegalArgumentException("\"slots\" is not an object");
    }
    JsonObject o = e.getAsJsonObject();
    JsonElement services = o.get("services");
    if (services == null || !services.isJsonObject()) {
      throw new IllegalArgumentException("\"slots.services\" is missing or not an object");
    }
    TreeMap<String, List<String>> map = new TreeMap<>();
    for (Map.Entry<String, JsonElement> service : services.getAsJsonObject().entrySet()) {
      if (!service.getValue().isJsonArray()) {
        throw new IllegalArgumentException("\"slots.services\" of " + service.getKey() + " is not an array");
      }
      List<String> ids = new ArrayList<>();
      for (JsonElement id : service.getValue().getAsJsonArray()) {
        if (id.isJsonNull()) {
          ids.add(Slots.FREE);
        } else if (id.isJsonPrimitive() && id.getAsJsonPrimitive().isString() && !id.getAsString().isEmpty()) {
          ids.add(id.getAsString());
        } else {
          throw new IllegalArgumentException("a slot of " + service.getKey() + " is neither a server id nor null");
        }
      }
      map.put(service.getKey(), ids);
    }
    try {
      return new Slots(string(o, "rule", true), map);
    } catch (UnsafeValueException e2) {
      throw new IllegalArgumentException(e2.getMessage(), e2);
    }
  }

  private static String string(JsonObject o, String name, boolean required) {
    JsonElement e = o.get(name);
    if (e == null || e.isJsonNull()) {
      if (required) {
        throw new IllegalArgumentException("missing \"" + name + "\"");
      }
      return null;
    }
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw new IllegalArgumentException("\"" + name + "\" is not a string");
    }
    return e.getAsString();
  }

  private static int intField(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      throw new IllegalArgumentException("\"" + name + "\" is missing or not a number");
    }
    return e.getAsInt();
  }

  private static boolean bool(JsonObject o, String name) {
    JsonElement e = o.get(name);
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw new IllegalArgumentException("\"" + name + "\" is missing or not true/false");
    }
    return e.getAsBoolean();
  }

  private static String oneLine(Exception e) {
    String m = e.getMessage() == null ? e.toString() : e.getMessage();
    return m.replaceAll("\\R", " ");
  }
}
