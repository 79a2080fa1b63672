package dev.haproxysd.cli;

import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.state.StateReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    header = "Show what the last apply did and what waits: a pending shrink, quarantined configs, draining instances.",
    description = {
      "Reads the --state-dir, never writes it and takes no lock (a running apply is not delayed): how the last "
          + "apply run ended (when, its outcome, exit code and message), the installed config's sha256 and how "
          + "haproxy is known to run it (reloaded, runtime API, adopted, or assumed), a shrink waiting for "
          + "--confirm-runs, the configs in quarantine and why haproxy refused them, instances draining for a "
          + "lifecycle hook and what holds their completion back, and an 'apply --watch' process (pid, cycles, last "
          + "cycle). A run that ends like the one before writes nothing, so with --metrics-file it also shows when "
          + "the latest run finished and the shared inventory's age. With --runtime-api it asks haproxy, read-only, "
          + "which worker runs and how many sessions each draining instance still holds. No AWS call.",
      "Exit status: 0 when the last run succeeded, 25 when it failed or was refused, 26 when no run is recorded "
          + "(a missing, empty or unreadable state directory: one line on stderr).",
      "Example: haproxy-sd status -o json"
    })
final class StatusCommand implements Callable<Integer> {
  /** How long haproxy may take to answer one read-only command. */
  private static final Duration RUNTIME_TIMEOUT = Duration.ofSeconds(5);

  enum Format { text, json }

  @ParentCommand HaproxySdCommand root;
  @Mixin StateDirOption stateDir;

  @Option(names = "--runtime-api", paramLabel = "SOCKET",
      description = "haproxy's stats socket (a UNIX socket path or ipv4@127.0.0.1:PORT): show its worker and count "
          + "the sessions of draining instances (show info, show servers state, show stat; nothing is changed).")
  String runtimeApi;

  @Option(names = "--metrics-file", paramLabel = "FILE",
      description = "apply's --metrics-file: show when the latest run finished, its exit code and the shared "
          + "inventory's age from it (state files change only when a run ends differently from the one before).")
  Path metricsFile;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text (for people) or json (for scripts, versioned) (default: ${DEFAULT-VALUE}).")
  Format format;

  @Override
  public Integer call() throws Exception {
    StateReader state = new StateReader(stateDir.stateDir);
    if (!state.exists()) {
      throw new Failures.CommandFailure(ExitCode.NO_RUN_RECORDED, stateDir.stateDir + ": no such state directory "
          + "(no apply has run with this --state-dir yet)");
    }
    StatusFacts facts = StatusFacts.read(state, RuntimeApiOption.parse(runtimeApi, RUNTIME_TIMEOUT, root.spec),
        metricsFile);
    if (facts.nothingRecorded()) {
      throw new Failures.CommandFailure(ExitCode.NO_RUN_RECORDED, facts.applied().problem() != null
          ? stateDir.stateDir.resolve(facts.applied().name()) + " is unreadable (" + facts.applied().problem()
              + ") and no run is recorded beside it; the next apply rewrites it"
          : "no apply run recorded in " + stateDir.stateDir + " yet (the first run is still to come, or another "
              + "--state-dir is meant)");
    }
    if (format == Format.json) {
      StatusJson.write(facts, stateDir.stateDir, root.clock.now(), root.out);
    } else {
      new StatusText(facts, root.clock.now(), root.out).write();
    }
    root.out.flush();
    return facts.lastRun().succeeded() ? ExitCode.OK.code : ExitCode.LAST_RUN_FAILED.code;
  }

  /** An outcome as status, the metrics and {@code last-run.json} name it: {@code installed-and-reloaded}. */
  static String name(Enum<?> outcome) {
    return outcome.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
