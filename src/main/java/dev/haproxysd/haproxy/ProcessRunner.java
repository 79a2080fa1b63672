package dev.haproxysd.haproxy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs an external program to completion, bounded by a timeout. The seam between haproxy-sd and processes. */
public interface ProcessRunner {

  /**
   * @throws IOException when the program cannot be started (e.g. not installed)
   * @throws ProcessTimeoutException when it did not finish in time (it is killed)
   */
  Result run(List<String> command, Duration timeout) throws IOException;

  record Result(int exitCode, String stdout, String stderr) {}

  /** Thrown when a program outlives its timeout; the program has been killed. */
  final class ProcessTimeoutException extends IOException {
    private static final long serialVersionUID = 1L;

    ProcessTimeoutException(String message) {
      super(message);
    }
  }

  /** The real thing: {@link ProcessBuilder}, stdin closed, both output streams captured. */
  static ProcessRunner system() {
    return (command, timeout) -> {
      Process process = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
      CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
      CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
      try {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
          process.destroyForcibly();
          throw new ProcessTimeoutException(command.get(0) + " did not finish within " + timeout.toSeconds() + " s");
        }
        return new Result(process.exitValue(), stdout.join(), stderr.join());
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for " + command.get(0), e);
      }
    };
  }

  private static String drain(InputStream in) {
    try (in) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
