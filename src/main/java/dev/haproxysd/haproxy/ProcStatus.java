package dev.haproxysd.haproxy;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The master CLI's {@code show proc}: the master's reload counter, its {@code [failed: N]} counter (reset to 0 by a
 * successful reload in 2.6) and the worker pids. On 2.6 this is the only way to tell a failed reload from a good one:
 * {@code reload} itself prints nothing, and only a successful reload forks a new worker.
 *
 * <pre>
 * #&lt;PID&gt;          &lt;type&gt;          &lt;reloads&gt;       &lt;uptime&gt;        &lt;version&gt;
 * 6794            master          1 [failed: 0]   0d00h10m34s     2.6.12-1+deb12u4
 * # workers
 * 21277           worker          0               0d00h00m01s     2.6.12-1+deb12u4
 * # old workers
 * 15069           worker          1               0d00h00m05s     2.6.12-1+deb12u4
 * </pre>
 *
 * <p>An old worker is one a reload replaced: it still serves the connections it had until they end or {@code
 * hard-stop-after} passes.
 *
 * @param workerPids the current workers
 * @param oldWorkerPids the old workers still alive
 */
public record ProcStatus(int masterPid, int reloads, int failed, List<Integer> workerPids,
    List<Integer> oldWorkerPids) {
  private static final Pattern MASTER =
      Pattern.compile("(\\d+)\\s+master\\s+(\\d+)\\s*\\[failed:\\s*(\\d+)\\].*");
  private static final Pattern WORKER = Pattern.compile("(\\d+)\\s+worker\\s+.*");

  public ProcStatus {
    workerPids = List.copyOf(workerPids);
    oldWorkerPids = List.copyOf(oldWorkerPids);
  }

  /** Without old workers. */
  public ProcStatus(int masterPid, int reloads, int failed, List<Integer> workerPids) {
    this(masterPid, reloads, failed, workerPids, List.of());
  }

  /** @throws IllegalArgumentException when {@code text} has no master line */
  public static ProcStatus parse(String text) {
    Integer masterPid = null;
    int reloads = 0;
    int failed = 0;
    List<Integer> workers = new ArrayList<>();
    List<Integer> oldWorkers = new ArrayList<>();
    List<Integer> section = workers;
    for (String line : text.split("\\R")) {
      String trimmed = line.trim();
      if (trimmed.startsWith("#")) {
        // "# workers", "# old workers", "# programs": the lines after a heading belong to it
        section = trimmed.equals("# old workers") ? oldWorkers : trimmed.equals("# workers") ? workers : null;
        continue;
      }
      Matcher m = MASTER.matcher(trimmed);
      if (m.matches()) {
        masterPid = Integer.parseInt(m.group(1));
        reloads = Integer.parseInt(m.group(2));
        failed = Integer.parseInt(m.group(3));
        continue;
      }
      Matcher w = WORKER.matcher(trimmed);
      if (w.matches() && section != null) {
        section.add(Integer.parseInt(w.group(1)));
      }
    }
    if (masterPid == null) {
      String first = text.isBlank() ? "an empty answer" : "'" + text.strip().lines().findFirst().orElse("") + "'";
      throw new IllegalArgumentException("'show proc' gave " + first + ", not a master line");
    }
    return new ProcStatus(masterPid, reloads, failed, workers, oldWorkers);
  }

  /** Current and old workers: every process that may hold a session. */
  public List<Integer> allWorkerPids() {
    List<Integer> all = new ArrayList<>(workerPids);
    all.addAll(oldWorkerPids);
    return List.copyOf(all);
  }

  /** Whether {@code after} has a worker that is not in this status. */
  public boolean hasNewWorkerIn(ProcStatus after) {
    return after.workerPids.stream().anyMatch(pid -> !workerPids.contains(pid));
  }
}
