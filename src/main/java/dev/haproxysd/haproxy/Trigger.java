package dev.haproxysd.haproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** How a reload is set off; what it proves is up to {@link ReloadStrategy}'s verification. */
interface Trigger {
  String describe();

  /** Fails early, before anything is installed, when the reload could not even be sent. */
  default void check() throws ReloadException {}

  void fire() throws ReloadException;

  /** Master CLI {@code reload}. */
  static Trigger masterCli(MasterCli cli) {
    return new Trigger() {
      @Override
      public String describe() {
        return "master socket " + cli.socket();
      }

      @Override
      public void fire() throws ReloadException {
        try {
          cli.reload();
        } catch (IOException e) {
          throw new ReloadException("cannot send 'reload' to " + cli.socket() + ": " + e.getMessage(), e);
        }
      }
    };
  }

  /** SIGUSR2 to the master-worker master named by a pidfile (the JDK cannot send it, kill(1) can). */
  static Trigger signal(Path pidFile, ProcessRunner runner) {
    return new Trigger() {
      @Override
      public String describe() {
        return "SIGUSR2 to the master in " + pidFile;
      }

      @Override
      public void check() throws ReloadException {
        long pid = pid();
        if (!ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          throw new ReloadException(pidFile + " names pid " + pid + ", which is not running (is haproxy up?)");
        }
      }

      @Override
      public void fire() throws ReloadException {
        long pid = pid();
        run(runner, List.of("kill", "-USR2", Long.toString(pid)), "kill -USR2 " + pid);
      }

      private long pid() throws ReloadException {
        try {
          String text = Files.readString(pidFile, StandardCharsets.US_ASCII).strip();
          String first = text.lines().findFirst().orElse("");
          return Long.parseLong(first);
        } catch (IOException | NumberFormatException e) {
          throw new ReloadException("cannot read a pid from " + pidFile + ": " + e.getMessage(), e);
        }
      }
    };
  }

  /** A command such as {@code systemctl reload haproxy}, split on white space, run without a shell. */
  static Trigger command(String command, ProcessRunner runner) {
    List<String> argv = Arrays.asList(command.strip().split("\\s+"));
    return new Trigger() {
      @Override
      public String describe() {
        return "'" + command + "'";
      }

      @Override
      public void fire() throws ReloadException {
        run(runner, argv, "'" + command + "'");
      }
    };
  }

  private static void run(ProcessRunner runner, List<String> argv, String shown) throws ReloadException {
    ProcessRunner.Result result;
    try {
      result = runner.run(argv, Duration.ofSeconds(60));
    } catch (IOException e) {
      throw new ReloadException("cannot run " + shown + ": " + e.getMessage(), e);
    }
    if (result.exitCode() != 0) {
      String why = (result.stderr() + "\n" + result.stdout()).strip().replaceAll("\\R", " ");
      throw new ReloadException(shown + " exited " + result.exitCode() + (why.isEmpty() ? "" : ": " + why));
    }
  }
}
