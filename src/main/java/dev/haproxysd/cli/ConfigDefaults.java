package dev.haproxysd.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * Supplies option defaults from the config file and the environment to every command of a {@link CommandLine}
 * tree. Precedence: built-in default &lt; file &lt; environment &lt; command line (picocli only asks for defaults of
 * options not given on the command line).
 *
 * <pre>{@code
 * CommandLine cmd = new CommandLine(root);
 * ConfigDefaults.install(cmd, args, System.getenv());
 * cmd.execute(args);
 * }</pre>
 *
 * A broken file fails the run as a usage error whose message names the file, the line and the key.
 */
final class ConfigDefaults implements IDefaultValueProvider {
  /** The option that picks another file; the command declares it, this class reads it before parsing. */
  public static final String OPTION = "--config";
  /** The variable that picks another file when {@value #OPTION} is not given. */
  public static final String FILE_VARIABLE = ConfigKeys.ENV_PREFIX + "CONFIG";
  /** The system-wide file, read when it exists unless {@value #OPTION} or {@value #FILE_VARIABLE} says otherwise. */
  public static final String SYSTEM_FILE_NAME = "/etc/haproxy-sd/haproxy-sd.conf";
  /** Read when it exists, unless {@value #OPTION} or {@value #FILE_VARIABLE} names another file. */
  public static final Path SYSTEM_FILE = Path.of(SYSTEM_FILE_NAME);

  private record Supplied(String key, String value, String origin) {}

  private final ConfigKeys keys;
  private final Map<String, String> env;
  private final Map<String, ConfigFile.Entry> file;
  private final String failure;
  private final Map<ArgSpec, Supplied> supplied = new IdentityHashMap<>();

  private ConfigDefaults(ConfigKeys keys, Map<String, String> env, Map<String, ConfigFile.Entry> file,
      String failure) {
    this.keys = keys;
    this.env = env;
    this.file = file;
    this.failure = failure;
  }

  /**
   * Reads the config file ({@code --config FILE} in {@code args}, else {@code $HAPROXY_SD_CONFIG}, else {@link
   * #SYSTEM_FILE} when it exists) and sets it with {@code env} as the default provider of {@code cmd} and all its
   * subcommands. Bad values found while parsing are reported with their file and line through {@code cmd}'s
   * parameter exception handler, so call this after setting that handler.
   */
  public static void install(CommandLine cmd, String[] args, Map<String, String> env) {
    install(cmd, ConfigKeys.of(cmd.getCommandSpec()), args, env);
  }

  /**
   * As {@link #install(CommandLine, String[], Map)}, with the keys of the whole command tree when {@code cmd} was
   * built with only some of its subcommands ({@link ConfigKeys#parse}).
   */
  public static void install(CommandLine cmd, ConfigKeys keys, String[] args, Map<String, String> env) {
    install(cmd, of(args, env, keys));
  }

  /** Sets {@code defaults} as the default provider of {@code cmd} and all its subcommands (see above). */
  static void install(CommandLine cmd, ConfigDefaults defaults) {
    cmd.setDefaultValueProvider(defaults);
    IParameterExceptionHandler handler = cmd.getParameterExceptionHandler();
    cmd.setParameterExceptionHandler((e, arguments) -> handler.handleParseException(defaults.explain(e), arguments));
  }

  /**
   * The defaults from the config file ({@code --config FILE} in {@code args}, else {@code $HAPROXY_SD_CONFIG}, else
   * {@link #SYSTEM_FILE} when it exists) and {@code env}; a file that does not read leaves its failure, reported
   * when picocli first asks for a default.
   */
  static ConfigDefaults of(String[] args, Map<String, String> env, ConfigKeys keys) {
    try {
      return new ConfigDefaults(keys, env, read(args, env, keys), null);
    } catch (ConfigException e) {
      return new ConfigDefaults(keys, env, Map.of(), e.getMessage());
    }
  }

  /**
   * True when the config file reads cleanly and neither it nor the environment sets an option of the root command:
   * a command line of {@code --version} alone then has nothing that picocli could refuse, so {@link Main} may answer
   * it without building the command model.
   */
  boolean leavesRootAlone() {
    List<String> root = keys.rootKeys();
    return failure == null && fromEnvironment(root) == null && fromFile(root) == null;
  }

  /**
   * The options of {@code longNames} that {@code args}, the environment or the config file give a value, with the
   * value that wins (in that order; a file that does not read counts as empty), before anything is parsed: for
   * guesses about the run such as {@link WarmupHint}, never for the run's settings.
   */
  Map<String, String> given(Set<String> longNames, String[] args) {
    Map<String, String> given = new HashMap<>();
    for (String name : longNames) {
      String value = argument(args, name);
      if (value == null) {
        List<String> names = keys.keysOfOption(name);
        Supplied supplied = fromEnvironment(names);
        if (supplied == null) {
          supplied = fromFile(names);
        }
        value = supplied == null ? null : supplied.value();
      }
      if (value != null) {
        given.put(name, value);
      }
    }
    return given;
  }

  private static Map<String, ConfigFile.Entry> read(String[] args, Map<String, String> env, ConfigKeys keys) {
    String given = fileArgument(args);
    if (given == null) {
      given = env.get(FILE_VARIABLE);
    }
    if (given != null && given.isEmpty()) {
      throw new ConfigException(OPTION + ": empty file name");
    }
    if (given == null && !SYSTEM_FILE.toFile().isFile()) {
      return Map.of();
    }
    return ConfigFile.read(given == null ? SYSTEM_FILE : Path.of(given), keys);
  }

  /** The value of the last {@code --config FILE} or {@code --config=FILE} before {@code --}, or null. */
  static String fileArgument(String[] args) {
    return argument(args, OPTION);
  }

  /** The value of the last {@code OPTION VALUE} or {@code OPTION=VALUE} before {@code --}, or null. */
  private static String argument(String[] args, String option) {
    String value = null;
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        break;
      } else if (arg.equals(option) && i + 1 < args.length) {
        value = args[++i];
      } else if (arg.startsWith(option + "=")) {
        value = arg.substring(option.length() + 1);
      }
    }
    return value;
  }

  @Override
  public String defaultValue(ArgSpec arg) {
    if (failure != null) {
      throw new ParameterException(arg.command().commandLine(), failure);
    }
    if (!(arg instanceof OptionSpec option)) {
      return null;
    }
    List<String> names = keys.keysOf(option);
    Supplied value = fromEnvironment(names);
    if (value == null) {
      value = fromFile(names);
    }
    if (value == null) {
      return null;
    }
    supplied.put(arg, value);
    return value.value();
  }

  private Supplied fromEnvironment(List<String> names) {
    for (String name : names) {
      String variable = keys.find(name).orElseThrow().environmentVariable();
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        return new Supplied(name, value.strip(), "environment variable " + variable);
      }
    }
    return null;
  }

  private Supplied fromFile(List<String> names) {
    for (String name : names) {
      ConfigFile.Entry entry = file.get(name);
      if (entry != null) {
        return new Supplied(name, entry.value(), entry.origin());
      }
    }
    return null;
  }

  /**
   * Prefixes a usage error about a value from the file or environment with where it came from: picocli's
   * "Invalid value for option" (from a converter), or a command's own check that names the option and the value.
   */
  ParameterException explain(ParameterException e) {
    if (e.getArgSpec() != null) {
      Supplied from = supplied.get(e.getArgSpec());
      if (from == null || e.getValue() == null || !from.value().contains(e.getValue())) {
        return e;
      }
      String why = e.getMessage().replaceFirst("^Invalid value for option '[^']*': ", "");
      return new ParameterException(e.getCommandLine(),
          from.origin() + ": " + from.key() + ": bad value: " + why, e, e.getArgSpec(), e.getValue());
    }
    String message = String.valueOf(e.getMessage());
    for (Map.Entry<ArgSpec, Supplied> entry : supplied.entrySet()) {
      Supplied from = entry.getValue();
      if (entry.getKey() instanceof OptionSpec option && message.contains(from.value())
          && List.of(option.names()).stream().anyMatch(message::contains)) {
        return new ParameterException(e.getCommandLine(), from.origin() + ": " + from.key() + ": " + message, e,
            option, from.value());
      }
    }
    return e;
  }
}
