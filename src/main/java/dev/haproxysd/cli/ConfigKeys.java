package dev.haproxysd.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The config keys of a command tree, derived from its options: never a hand-kept list.
 *
 * <ul>
 *   <li>{@code template} — an option's long name without dashes: sets that option in every command that has it
 *       (root options such as {@code verbose}, and subcommand options that mean the same everywhere).
 *   <li>{@code render.template} — the same, limited to one subcommand; wins over {@code template}.
 * </ul>
 *
 * A name that means different things in different commands ({@code discover --output FORMAT} vs {@code render
 * --output FILE}) has only the scoped keys. Each key {@code a.b-c} also reads the environment variable
 * {@code HAPROXY_SD_A_B_C}.
 */
final class ConfigKeys {
  /** The prefix of every environment variable that sets a key. */
  public static final String ENV_PREFIX = "HAPROXY_SD_";

  /**
   * One key: its name, the options it sets, and what the shipped file says about it. Keys read from a {@link #table}
   * know only their name: no options, so no description or default.
   */
  public record Key(String name, List<OptionSpec> options) {
    public Key {
      options = List.copyOf(options);
    }

    public String environmentVariable() {
      return ENV_PREFIX + name.toUpperCase(Locale.ROOT).replace('-', '_').replace('.', '_');
    }

    /** The option that documents this key (the first one that declares it). */
    public OptionSpec option() {
      return options.get(0);
    }

    /** The built-in default as a config value, or empty when the option has none. */
    public String builtInDefault() {
      OptionSpec option = option();
      if (option.defaultValue() != null) {
        return option.defaultValue();
      }
      Object initial = option.initialValue();
      boolean flag = option.arity().max == 0;
      return flag ? String.valueOf(Boolean.TRUE.equals(initial)) : "";
    }

    /** True when the value is a list split at {@code ,}-like separators ({@code var = a=1,b=2}). */
    public boolean isList() {
      return option().isMultiValue() && !option().splitRegex().isEmpty();
    }
  }

  private static final String OPTION_LINE = "option";
  private static final String AMBIGUOUS_LINE = "ambiguous";

  private final String rootCommand;
  private final Map<String, Key> keys;
  /** By {@link #id}: an option and its inherited copies in subcommands have different ids. */
  private final Map<String, List<String>> keysByOption;
  private final Map<String, List<String>> ambiguous;

  private ConfigKeys(String rootCommand, Map<String, Key> keys, Map<String, List<String>> keysByOption,
      Map<String, List<String>> ambiguous) {
    this.rootCommand = rootCommand;
    this.keys = Collections.unmodifiableMap(keys);
    this.keysByOption = keysByOption;
    this.ambiguous = Collections.unmodifiableMap(ambiguous);
  }

  /** The keys of {@code root} and all its subcommands. */
  public static ConfigKeys of(CommandSpec root) {
    Map<String, List<OptionSpec>> scoped = new LinkedHashMap<>();
    Map<String, List<OptionSpec>> byName = new LinkedHashMap<>();
    Map<String, List<String>> keysByOption = new LinkedHashMap<>();
    collect(root, "", scoped, byName, keysByOption);

    Map<String, Key> keys = new LinkedHashMap<>();
    Map<String, List<String>> ambiguous = new TreeMap<>();
    // Unscoped keys first: they are what most files set.
    for (Map.Entry<String, List<OptionSpec>> e : byName.entrySet()) {
      String name = e.getKey();
      List<OptionSpec> options = e.getValue();
      if (sameMeaning(options)) {
        keys.put(name, new Key(name, options));
        options.forEach(o -> keysByOption.computeIfAbsent(id(o), x -> new ArrayList<>()).add(name));
      } else {
        List<String> alternatives = new ArrayList<>();
        scoped.forEach((key, o) -> {
          if (byName.get(name).contains(o.get(0))) {
            alternatives.add(key);
          }
        });
        ambiguous.put(name, alternatives);
      }
    }
    scoped.forEach((name, options) -> keys.putIfAbsent(name, new Key(name, options)));
    checkEnvironmentNamesAreUnique(keys.values());
    return new ConfigKeys(root.name(), keys, keysByOption, ambiguous);
  }

  private static void collect(CommandSpec spec, String prefix, Map<String, List<OptionSpec>> scoped,
      Map<String, List<OptionSpec>> byName, Map<String, List<String>> keysByOption) {
    for (OptionSpec option : spec.options()) {
      if (!configurable(option)) {
        continue;
      }
      String name = option.longestName().replaceFirst("^-+", "");
      if (option.inherited()) {
        // A copy of an ancestor's option: it reads the ancestor's key.
        keysByOption.put(id(option), List.of(name));
      } else if (prefix.isEmpty()) {
        byName.computeIfAbsent(name, n -> new ArrayList<>()).add(option);
      } else {
        String key = prefix + name;
        scoped.put(key, List.of(option));
        keysByOption.computeIfAbsent(id(option), o -> new ArrayList<>()).add(key);
        byName.computeIfAbsent(name, n -> new ArrayList<>()).add(option);
      }
    }
    Set<CommandLine> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (CommandLine sub : spec.subcommands().values()) {
      if (seen.add(sub)) {
        CommandSpec subSpec = sub.getCommandSpec();
        collect(subSpec, prefix + subSpec.name() + ".", scoped, byName, keysByOption);
      }
    }
  }

  private static boolean configurable(OptionSpec option) {
    return !option.usageHelp() && !option.versionHelp() && !List.of(option.names()).contains(ConfigDefaults.OPTION);
  }

  /** Options share an unscoped key only when a value means the same to all of them. */
  private static boolean sameMeaning(List<OptionSpec> options) {
    OptionSpec first = options.get(0);
    return options.stream().allMatch(o -> o.type().equals(first.type())
        && Objects.equals(o.paramLabel(), first.paramLabel())
        && o.arity().equals(first.arity()));
  }

  private static void checkEnvironmentNamesAreUnique(Iterable<Key> keys) {
    Map<String, String> seen = new TreeMap<>();
    for (Key key : keys) {
      String other = seen.put(key.environmentVariable(), key.name());
      if (other != null) {
        throw new IllegalStateException("config keys " + other + " and " + key.name()
            + " share the environment variable " + key.environmentVariable() + ": rename an option");
      }
    }
  }

  /** Every key, unscoped ones first, each in declaration order. */
  public List<Key> all() {
    return List.copyOf(keys.values());
  }

  public Optional<Key> find(String name) {
    return Optional.ofNullable(keys.get(name));
  }

  /** The keys that set {@code option}, most specific first. */
  List<String> keysOf(OptionSpec option) {
    return keysByOption.getOrDefault(id(option), List.of());
  }

  /** Every key that sets an option named {@code longName} in some command ({@code asg-tag}, {@code apply.asg-tag}). */
  List<String> keysOfOption(String longName) {
    return keysOf("", "/" + longName);
  }

  /** The keys of the root command's own options ({@code verbose}, {@code quiet}). */
  List<String> rootKeys() {
    return keysOf(rootCommand + "/", "");
  }

  // Plain loops, here and in parse: this runs first in every run (--version included), where each lambda or stream
  // still pays its first-use linking.
  private List<String> keysOf(String idPrefix, String idSuffix) {
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, List<String>> option : keysByOption.entrySet()) {
      if (option.getKey().startsWith(idPrefix) && option.getKey().endsWith(idSuffix)) {
        for (String key : option.getValue()) {
          if (!found.contains(key)) {
            found.add(key);
          }
        }
      }
    }
    return found;
  }

  /** {@code haproxy-sd.render/--template}: the same in a command tree built with only some subcommands. */
  private static String id(OptionSpec option) {
    return option.command().qualifiedName(".") + "/" + option.longestName();
  }

  /**
   * These keys as text that {@link #parse} reads back without the command model: a line {@code option ID KEY...}
   * for each option (keys most specific first) and {@code ambiguous NAME KEY...} for each name that has only scoped
   * keys. The descriptions and defaults of {@link #commentedFile} are not kept.
   */
  public String table() {
    StringBuilder out = new StringBuilder();
    keysByOption.forEach((id, names) ->
        out.append(OPTION_LINE).append(' ').append(id).append(' ').append(String.join(" ", names)).append('\n'));
    ambiguous.forEach((name, alternatives) ->
        out.append(AMBIGUOUS_LINE).append(' ').append(name).append(' ').append(String.join(" ", alternatives))
            .append('\n'));
    return out.toString();
  }

  /**
   * The keys of a {@link #table}, for a command tree that holds only some of the subcommands the table was made
   * from; lines starting with {@code #} are comments.
   *
   * @throws IllegalArgumentException for a line that is not part of a table
   */
  public static ConfigKeys parse(String rootCommand, String table) {
    Map<String, Key> keys = new LinkedHashMap<>();
    Map<String, List<String>> keysByOption = new LinkedHashMap<>();
    Map<String, List<String>> ambiguous = new TreeMap<>();
    for (String line : table.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      List<String> words = words(line);
      if (words.size() < 3 || !List.of(OPTION_LINE, AMBIGUOUS_LINE).contains(words.get(0))) {
        throw new IllegalArgumentException("not a config key table line: " + line);
      }
      List<String> names = words.subList(2, words.size());
      if (words.get(0).equals(OPTION_LINE)) {
        keysByOption.put(words.get(1), List.copyOf(names));
        for (String name : names) {
          keys.putIfAbsent(name, new Key(name, List.of()));
        }
      } else {
        ambiguous.put(words.get(1), List.copyOf(names));
      }
    }
    checkEnvironmentNamesAreUnique(keys.values());
    return new ConfigKeys(rootCommand, keys, keysByOption, ambiguous);
  }

  /** The words of a table line; split at single spaces ({@code split(" +")} compiled a pattern for every line). */
  private static List<String> words(String line) {
    List<String> words = new ArrayList<>();
    for (String word : line.split(" ")) {
      if (!word.isEmpty()) {
        words.add(word);
      }
    }
    return words;
  }

  /** For an unknown key: the scoped keys to use instead, when the name is ambiguous. */
  List<String> alternativesTo(String name) {
    return ambiguous.getOrDefault(name, List.of());
  }

  /**
   * The commented file shipped as {@code /etc/haproxy-sd/haproxy-sd.conf}: every key with its description and
   * built-in default, all commented out.
   */
  public String commentedFile() {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(ConfigDefaults.SYSTEM_FILE).append(": defaults for every ").append(rootCommand)
        .append(" option.\n")
        .append("#\n")
        .append("# Precedence: built-in default < this file < environment < command line.\n")
        .append("# Syntax: KEY = VALUE, one per line; '#' starts a comment line. An unknown key or a bad value\n")
        .append("# is an error naming this file, the line and the key.\n")
        .append("# KEY sets the option in every subcommand that has it; COMMAND.KEY (e.g. render.template)\n")
        .append("# limits it to one subcommand and wins over KEY. The environment variable HAPROXY_SD_KEY\n")
        .append("# (upper case, '-' and '.' as '_') overrides the file. Another file: --config FILE or\n")
        .append("# HAPROXY_SD_CONFIG=FILE. Generated from the command model; see ")
        .append(rootCommand).append("(1).\n");
    for (Key key : keys.values()) {
      if (key.name().contains(".") && keysOf(key.option()).size() > 1) {
        continue; // the unscoped key above documents it
      }
      out.append('\n');
      for (String line : wrap(description(key), 100)) {
        out.append("# ").append(line).append('\n');
      }
      String value = key.builtInDefault();
      out.append("#").append(key.name()).append(" =").append(value.isEmpty() ? "" : " " + value).append('\n');
    }
    return out.toString();
  }

  private static String description(Key key) {
    OptionSpec option = key.option();
    String text = String.join(" ", option.description())
        .replace("${DEFAULT-VALUE}", key.builtInDefault())
        .replace("${COMPLETION-CANDIDATES}", candidates(option));
    String list = key.isList() ? " A list: separate values with '" + option.splitRegex() + "'." : "";
    return key.name() + " (" + String.join(", ", option.names()) + paramLabel(option) + "): " + text + list;
  }

  private static String paramLabel(OptionSpec option) {
    return option.arity().max == 0 ? "" : " " + option.paramLabel();
  }

  private static String candidates(OptionSpec option) {
    List<String> values = new ArrayList<>();
    if (option.completionCandidates() != null) {
      option.completionCandidates().forEach(values::add);
    }
    return String.join(", ", values);
  }

  private static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.split("\\s+")) {
      if (line.length() > 0 && line.length() + 1 + word.length() > width) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
