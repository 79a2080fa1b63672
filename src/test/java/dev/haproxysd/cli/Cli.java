package dev.haproxysd.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/** Runs haproxy-sd in-process and keeps what it printed. */
record Cli(int code, String out, String err) {

  static Cli run(String... args) {
    return runWithStdin("", args);
  }

  static Cli runWithStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out),
        new PrintWriter(err), args);
    return new Cli(code, out.toString(), err.toString());
  }

  /** stderr holds exactly one line. */
  boolean oneErrorLine() {
    return err.endsWith("\n") && err.indexOf('\n') == err.length() - 1;
  }
}
