package dev.haproxysd.haproxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sessions every worker of a master-worker haproxy holds, the old workers of earlier reloads included: the
 * master CLI's {@code show proc}, then {@code @!PID show stat -1 4 -1} in each process. A stats socket reaches only
 * the current worker, while an old worker serves its open connections until they end or {@code hard-stop-after}
 * passes.
 *
 * <pre>{@code
 * WorkerSessions.Snapshot now = strategy.workerSessions().get().snapshot();
 * int open = now.at(InetAddress.getByName("10.0.0.5"), 8080);   // over every process
 * }</pre>
 */
public final class WorkerSessions {
  private static final String SHOW_STAT = "show stat -1 4 -1";
  private final MasterCli master;

  WorkerSessions(MasterCli master) {
    this.master = master;
  }

  /** E.g. {@code master socket /run/haproxy-master.sock}. */
  public String describe() {
    return "master socket " + master.socket();
  }

  /** Every process's server sessions now; a process that exits meanwhile holds none. */
  public Snapshot snapshot() throws IOException {
    ProcStatus proc = master.showProc();
    List<Process> processes = new ArrayList<>();
    for (int pid : proc.allWorkerPids()) {
      Optional<String> answer = master.onProcess(pid, SHOW_STAT);
      if (answer.isEmpty()) {
        continue;
      }
      Map<InetSocketAddress, Integer> sessions = new LinkedHashMap<>();
      for (StatRows.Row row : StatRows.parse(answer.get(), master.socket() + " @!" + pid).rows()) {
        if (row.address() != null) {
          sessions.merge(row.address(), row.sessions(), Integer::sum);
        }
      }
      processes.add(new Process(pid, proc.oldWorkerPids().contains(pid), sessions));
    }
    return new Snapshot(processes);
  }

  /**
   * One worker's sessions, summed per server address.
   *
   * @param old a worker a reload replaced
   */
  public record Process(int pid, boolean old, Map<InetSocketAddress, Integer> sessions) {
    public Process {
      sessions = Map.copyOf(sessions);
    }
  }

  /** The sessions of every process at one moment. */
  public record Snapshot(List<Process> processes) {
    public Snapshot {
      processes = List.copyOf(processes);
    }

    /** Sessions on servers at {@code address:port}, over every process. */
    public int at(InetAddress address, int port) {
      InetSocketAddress endpoint = new InetSocketAddress(address, port);
      return processes.stream().mapToInt(p -> p.sessions().getOrDefault(endpoint, 0)).sum();
    }

    /** Sessions at {@code address:port} on old workers only. */
    public int onOldWorkersAt(InetAddress address, int port) {
      InetSocketAddress endpoint = new InetSocketAddress(address, port);
      return processes.stream().filter(Process::old).mapToInt(p -> p.sessions().getOrDefault(endpoint, 0)).sum();
    }
  }
}
