package dev.haproxysd.testing;

import dev.haproxysd.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Runs haproxy-sd in-process with captured stdout and stderr, in an environment the test controls: never this
 * machine's {@code HAPROXY_SD_*} variables, {@code /etc/haproxy-sd/haproxy-sd.conf} or {@code /var/lib/haproxy-sd}.
 */
public final class Cli {
  private Cli() {}

  /** Exit code and the two streams of one run. */
  public record Result(int code, String out, String err) {
    public List<String> errLines() {
      return err.isEmpty() ? List.of() : err.lines().toList();
    }

    /** stderr holds exactly one line. */
    public boolean oneErrorLine() {
      return err.endsWith("\n") && err.indexOf('\n') == err.length() - 1;
    }
  }

  public static Result run(List<String> args) {
    return run("", Map.of(), args);
  }

  public static Result run(String... args) {
    return run(List.of(args));
  }

  public static Result runWithStdin(String stdin, String... args) {
    return run(stdin, Map.of(), List.of(args));
  }

  /**
   * One run with {@code env} as its whole environment on top of {@link #hermetic}: no config file and a fresh,
   * empty default state dir (removed afterwards), unless {@code env} says otherwise.
   */
  public static Result run(String stdin, Map<String, String> env, List<String> args) {
    Path stateDir = null;
    try {
      stateDir = Files.createTempDirectory("haproxy-sd-cli-state-");
      Map<String, String> all = new HashMap<>(hermetic(stateDir));
      all.putAll(env);
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = Main.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out),
          new PrintWriter(err), Map.copyOf(all), args.toArray(String[]::new));
      return new Result(code, out.toString(), err.toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      deleteTree(stateDir);
    }
  }

  /** The environment of an in-process run: no config file, the default state dir {@code stateDir}. */
  public static Map<String, String> hermetic(Path stateDir) {
    return Map.of("HAPROXY_SD_CONFIG", "/dev/null", "HAPROXY_SD_STATE_DIR", stateDir.toString());
  }

  private static void deleteTree(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code java -cp <this test classpath> MAIN ARGS...}, for runs that must be separate processes. */
  public static ProcessBuilder javaProcess(String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(k -> k.startsWith("HAPROXY_SD_") || k.startsWith("AWS_"));
    builder.environment().put("HAPROXY_SD_CONFIG", "/dev/null");
    return builder;
  }
}
