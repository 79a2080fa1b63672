package dev.haproxysd.testing;

import dev.haproxysd.haproxy.ProcStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Benchmark, not a test ({@code packaging/bench/hitless.sh}): a real master-worker haproxy with two services of 10
 * slots, and CYCLES in-process {@code apply --runtime-api} runs, each after a random churn of the inventory: a weight
 * change, a drain or undrain, a server added or removed (never more than 9 per service, so everything fits the slots).
 * Prints the reloads (target 0) and the cycle times.
 *
 * <p>Usage: {@code HitlessBench [CYCLES] [SEED]}
 */
public final class HitlessBench {
  private static final int SERVERS_PER_SERVICE = 9;

  private HitlessBench() {}

  /** One server of the inventory. */
  private static final class Member {
    final String id;
    final int port;
    int weight = 100;
    String state = "ready";
    boolean present;

    Member(String id, int port) {
      this.id = id;
      this.port = port;
    }
  }

  public static void main(String[] args) throws Exception {
    int cycles = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    Random random = new Random(args.length > 1 ? Long.parseLong(args[1]) : 42);
    Path dir = Files.createTempDirectory("haproxy-sd-bench-");
    List<HttpBackend> backends = new ArrayList<>();
    List<List<Member>> services = new ArrayList<>();
    for (int s = 0; s < 2; s++) {
      List<Member> members = new ArrayList<>();
      for (int i = 0; i < SERVERS_PER_SERVICE; i++) {
        HttpBackend backend = HttpBackend.start("svc" + s + "-" + i);
        backends.add(backend);
        Member m = new Member("svc" + s + "-i" + i, backend.port());
        m.present = i < 5;
        members.add(m);
      }
      services.add(members);
    }
    HaproxyInstance.Layout layout = HaproxyInstance.layout(dir);
    Path inventory = dir.resolve("inventory.json");
    Path serverState = dir.resolve("server-state");
    Files.writeString(serverState, "1\n");
    List<String> common = new ArrayList<>(List.of("--inventory", inventory.toString(), "--template",
        HaproxyInstance.slotsTemplate().toString(), "--slots", "10",
        "--var", "server_state_file=" + serverState));
    common.addAll(layout.templateVars());
    write(inventory, services);
    List<String> render = new ArrayList<>(List.of("render", "--output", layout.configFile().toString(),
        "--state-dir", dir.resolve("state").toString()));
    render.addAll(common);
    check(Cli.run(render));
    List<String> apply = new ArrayList<>(List.of("apply", "-q", "--config-file", layout.configFile().toString(),
        "--state-dir", dir.resolve("state").toString(), "--reload", "master-socket:" + layout.masterSocket(),
        "--runtime-api", layout.statsSocket().toString(), "--max-removal=100%", "--allow-empty"));
    apply.addAll(common);
    try (HaproxyInstance haproxy = HaproxyInstance.start(layout)) {
      check(Cli.run(apply)); // the first apply has no state to compare with: it reloads
      for (int warm = 0; warm < 5; warm++) {
        churn(services, random);
        write(inventory, services);
        check(Cli.run(apply));
      }
      ProcStatus start = haproxy.showProc();
      long[] nanos = new long[cycles];
      for (int c = 0; c < cycles; c++) {
        churn(services, random);
        write(inventory, services);
        long t0 = System.nanoTime();
        check(Cli.run(apply));
        nanos[c] = System.nanoTime() - t0;
      }
      ProcStatus end = haproxy.showProc();
      java.util.Arrays.sort(nanos);
      System.out.printf("cycles: %d%nreloads: %d%nworker: %s -> %s%nmedian cycle: %.1f ms%np90 cycle: %.1f ms%n"
          + "max cycle: %.1f ms%n", cycles, end.reloads() - start.reloads(), start.workerPids(), end.workerPids(),
          nanos[cycles / 2] / 1e6, nanos[(int) (cycles * 0.9)] / 1e6, nanos[cycles - 1] / 1e6);
    } finally {
      backends.forEach(HttpBackend::close);
    }
  }

  private static void churn(List<List<Member>> services, Random random) {
    List<Member> members = services.get(random.nextInt(services.size()));
    Member m = members.get(random.nextInt(members.size()));
    switch (random.nextInt(3)) {
      case 0:
        if (!m.present) {
          m.present = true;
        } else {
          m.weight = 1 + random.nextInt(256);
        }
        break;
      case 1:
        m.state = m.state.equals("ready") ? "drain" : "ready";
        m.present = true;
        break;
      default:
        long present = members.stream().filter(x -> x.present).count();
        m.present = !m.present || present <= 1;
        break;
    }
  }

  private static void write(Path file, List<List<Member>> services) throws IOException {
    List<String> entries = new ArrayList<>();
    for (int s = 0; s < services.size(); s++) {
      List<String> servers = new ArrayList<>();
      for (Member m : services.get(s)) {
        if (m.present) {
          servers.add("{\"id\":\"" + m.id + "\",\"address\":\"127.0.0.1\",\"port\":" + m.port + ",\"weight\":"
              + m.weight + ",\"state\":\"" + m.state + "\"}");
        }
      }
      entries.add("{\"name\":\"svc" + s + "\",\"source\":\"file\",\"servers\":[" + String.join(",", servers) + "]}");
    }
    Files.writeString(file, "{\"version\":1,\"services\":[" + String.join(",", entries) + "]}\n");
  }

  private static void check(Cli.Result result) {
    if (result.code() != 0) {
      throw new IllegalStateException("apply exited " + result.code() + ": " + result.err());
    }
  }
}
