package dev.haproxysd.cli;

import dev.haproxysd.aws.Warmup;
import dev.haproxysd.model.Clock;
import dev.haproxysd.pipeline.RunObserver;
import java.io.BufferedWriter;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/**
 * {@code haproxy-sd}: {@link #main} only exits; {@link #run} does the work and prints only through the writers it
 * is given, so tests call it in-process.
 */
public final class Main {
  static {
    // picocli otherwise probes for Groovy with Class.forName("groovy.lang.Closure"): a miss that searches every
    // jar on the class path, ~20 ms of each run.
    System.setProperty("picocli.disable.closures", "true");
  }

  private Main() {}

  public static void main(String[] args) throws java.io.IOException {
    if (Boolean.getBoolean(CdsTraining.PROPERTY)) {
      System.exit(CdsTraining.run(args));
    }
    PrintWriter out = writer(FileDescriptor.out);
    PrintWriter err = writer(FileDescriptor.err);
    int code = run(System.in, out, err, System.getenv(), args);
    out.flush();
    err.flush();
    System.exit(code);
  }

  /**
   * Runs one command line; returns the exit code. Everything goes through {@code out} and {@code err}; {@code env}
   * is the environment its {@code HAPROXY_SD_*} defaults come from (the process's in {@link #main}).
   */
  public static int run(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env, String... args) {
    return run(in, out, err, env, RunObserver.NONE, args);
  }

  /** {@link #run(InputStream, PrintWriter, PrintWriter, Map, String...)} with {@code phases} told of apply's phases. */
  static int run(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env, RunObserver phases,
      String... args) {
    return run(in, out, err, env, phases, Clock.SYSTEM, args);
  }

  /** {@link #run(InputStream, PrintWriter, PrintWriter, Map, RunObserver, String...)} on {@code clock}'s time. */
  static int run(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env, RunObserver phases,
      Clock clock, String... args) {
    return run(in, out, err, env, phases, clock, WatchObserver.NONE, args);
  }

  /** As above, with {@code watching} told what {@code apply --watch} does. */
  static int run(InputStream in, PrintWriter out, PrintWriter err, Map<String, String> env, RunObserver phases,
      Clock clock, WatchObserver watching, String... args) {
    ConfigDefaults defaults = ConfigDefaults.of(args, env, CommandTree.configKeys());
    if (CommandTree.asksOnlyForVersion(args) && defaults.leavesRootAlone()) {
      // What picocli would print, without its command model: building even the root's was most of the cost.
      try {
        for (String line : VersionProvider.lines()) {
          out.println(line);
        }
      } catch (IOException e) {
        err.println("haproxy-sd: cannot read the version from the jar: " + e.getMessage());
        return ExitCode.INTERNAL.code;
      }
      out.flush();
      return ExitCode.OK.code;
    }
    // SDK start-up on another core while picocli builds the command model; AwsSession.open waits for it.
    Warmup.start(WarmupHint.services(args, defaults));
    HaproxySdCommand root = new HaproxySdCommand(in, out, err, phases, clock);
    root.watching = watching;
    root.reread = () -> reread(new HaproxySdCommand(in, out, err, phases, clock), env, args);
    CommandLine cmd = CommandTree.forArguments(root, args);
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          err.println("haproxy-sd: " + Failures.message(e));
          if (root.verbose) {
            e.printStackTrace(err);
          }
          return Failures.exitCode(e).code;
        });
    cmd.setParameterExceptionHandler(
        (e, arguments) -> {
          String command = e.getCommandLine().getCommandSpec().qualifiedName();
          err.println("haproxy-sd: " + e.getMessage().replaceAll("\\R", " ")
              + " (see '" + command + " --help')");
          return ExitCode.USAGE.code;
        });
    cmd.setExitCodeExceptionMapper(e -> Failures.exitCode(e).code);
    listExitCodes(cmd);
    ConfigDefaults.install(cmd, defaults);
    int code = cmd.execute(args);
    out.flush();
    err.flush();
    return code;
  }

  /**
   * {@code args} parsed again into {@code root} over the config file as it reads now: the {@code apply} command
   * they name, for {@code apply --watch}'s SIGHUP.
   *
   * @throws ParameterException naming the file, line and key of a bad value, or what else is wrong
   */
  private static ApplyCommand reread(HaproxySdCommand root, Map<String, String> env, String... args) {
    ConfigDefaults defaults = ConfigDefaults.of(args, env, CommandTree.configKeys());
    CommandLine cmd = CommandTree.forArguments(root, args);
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    ConfigDefaults.install(cmd, defaults);
    CommandLine.ParseResult parsed;
    try {
      parsed = cmd.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw defaults.explain(e);
    }
    while (parsed.hasSubcommand()) {
      parsed = parsed.subcommand();
    }
    return (ApplyCommand) parsed.commandSpec().userObject();
  }

  static void listExitCodes(CommandLine cmd) {
    cmd.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(ExitCode.helpList());
    for (CommandLine sub : cmd.getSubcommands().values()) {
      listExitCodes(sub);
    }
  }

  private static PrintWriter writer(FileDescriptor fd) {
    return new PrintWriter(new BufferedWriter(
        new OutputStreamWriter(new FileOutputStream(fd), StandardCharsets.UTF_8), 1 << 16));
  }
}
