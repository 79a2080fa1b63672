package dev.haproxysd.cli;

import dev.haproxysd.pipeline.RunObserver;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * {@code haproxy-sd} as its own JVM that stops at one phase of {@code apply}, so a fault test can SIGKILL it there:
 * {@code PausingMain PHASE ARGS...} prints {@code haproxy-sd: test: paused at PHASE} on stderr when the run gets
 * there and waits to be killed (at most {@link #LIMIT}, then it carries on).
 */
final class PausingMain {
  static final Duration LIMIT = Duration.ofMinutes(5);

  private PausingMain() {}

  public static void main(String[] args) {
    String phase = args[0];
    RunObserver pause = new RunObserver() {
      @Override
      public void reached(Phase reached) {
        if (!reached.id().equals(phase)) {
          return;
        }
        System.err.println("haproxy-sd: test: paused at " + phase);
        System.err.flush();
        try {
          Thread.sleep(LIMIT.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    PrintWriter out = new PrintWriter(System.out, false, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, false, StandardCharsets.UTF_8);
    String[] rest = java.util.Arrays.copyOfRange(args, 1, args.length);
    int code = Main.run(System.in, out, err, System.getenv(), pause, rest);
    out.flush();
    err.flush();
    System.exit(code);
  }
}
