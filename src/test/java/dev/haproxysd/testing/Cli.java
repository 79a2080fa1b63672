package dev.haproxysd.testing;

import dev.haproxysd.cli.Main;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs haproxy-sd in-process with captured stdout and stderr. */
public final class Cli {
  private Cli() {}

  /** Exit code and the two streams of one run. */
  public record Result(int code, String out, String err) {
    public List<String> errLines() {
      return err.isEmpty() ? List.of() : err.lines().toList();
    }
  }

  public static Result run(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(new byte[0]), new PrintWriter(out), new PrintWriter(err),
        args.toArray(String[]::new));
    return new Result(code, out.toString(), err.toString());
  }

  public static Result run(String... args) {
    return run(List.of(args));
  }

  /** {@code java -cp <this test classpath> MAIN ARGS...}, for runs that must be separate processes. */
  public static ProcessBuilder javaProcess(String mainClass, List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(args);
    return new ProcessBuilder(command);
  }
}
