package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FreePort;
import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.HttpBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply --runtime-api} against a real master-worker haproxy 2.6 on 127.0.0.1 (stats socket and
 * server-state-file in the temp dir), with JDK HttpServer backends that answer with their names. "No reload" is
 * proved by the master's {@code show proc}: same reload counter, same worker pid. haproxy's own {@code show servers
 * state} is read with the fixture's socket client, not the production one.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class HitlessWithHaproxyTest {
  private static final int ADMIN_DRAIN = 0x08;
  private static final int ADMIN_FORCED_MAINT = 0x01;
  @TempDir Path dir;
  private HaproxyInstance.Layout layout;
  private HaproxyInstance haproxy;
  private Path inventory;
  private Path stateDir;
  private Path serverStateFile;
  private final Map<String, HttpBackend> backends = new TreeMap<>();

  /** One server of the inventory: a backend, its weight and state. */
  private record Member(String name, int port, int weight, String state) {
    Member weight(int w) {
      return new Member(name, port, w, state);
    }

    Member state(String s) {
      return new Member(name, port, weight, s);
    }

    Member port(int p) {
      return new Member(name, p, weight, state);
    }
  }

  @BeforeEach
  void startHaproxy() throws IOException {
    inventory = dir.resolve("inventory.json");
    stateDir = dir.resolve("state");
    serverStateFile = dir.resolve("server-state");
    Files.writeString(serverStateFile, "1\n");
    serve(List.of());
    haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir), Map.of(), free -> {
      layout = free;
      List<String> render = new ArrayList<>(List.of("render", "--inventory", inventory.toString(), "--output",
          layout.configFile().toString(), "--state-dir", stateDir.toString()));
      render.addAll(layout.slotsTemplateArgs(10, serverStateFile));
      Cli.Result bootstrap = Cli.run(render);
      assertEquals(0, bootstrap.code(), bootstrap.err());
    });
  }

  @AfterEach
  void stop() {
    haproxy.close();
    backends.values().forEach(HttpBackend::close);
  }

  @Test
  void scaling3To5To2To4WithinTenSlots_neverReloads_andTrafficReachesExactlyTheLiveServers() {
    List<Member> three = members("A", "B", "C");
    serve(three);
    Cli.Result first = apply();
    assertEquals(0, first.code(), first.err());
    assertTrue(first.err().contains("runtime changes: 0, reload: yes (no recorded apply to compare with)"),
        first.err());
    ProcStatus start = haproxy.showProc();
    assertLive(three);
    Map<String, String> slotOf = slotsByBackend();

    int[][] expectedChanges = {{2}, {3}, {2}};
    List<List<Member>> steps = List.of(members("A", "B", "C", "D", "E"), members("B", "E"),
        members("A", "B", "E", "F"));
    for (int i = 0; i < steps.size(); i++) {
      List<Member> step = steps.get(i);
      serve(step);
      Cli.Result run = apply();
      assertEquals(0, run.code(), run.err());
      assertTrue(run.err().contains("runtime changes: " + expectedChanges[i][0] + ", reload: no"), run.err());
      assertNoReloadSince(start);
      assertLive(step);
      Map<String, String> now = slotsByBackend();
      for (Member m : step) {
        if (slotOf.containsKey(m.name())) {
          assertEquals(slotOf.get(m.name()), now.get(m.name()), m.name() + " kept its slot");
        }
      }
      slotOf.putAll(now);
      assertEquals(names(step), traffic(step.size() * 4));
    }
    Cli.Result again = apply();
    assertEquals(0, again.code(), again.err());
    assertEquals("", again.err(), "nothing changed: a silent run");
    assertNoReloadSince(start);
  }

  @Test
  void weightChangeAndDrain_needNoReload() {
    List<Member> members = members("A", "B", "C");
    serve(members);
    assertEquals(0, apply().code());
    ProcStatus start = haproxy.showProc();

    members.set(0, members.get(0).weight(50));
    serve(members);
    Cli.Result dryRun = apply("--dry-run");
    assertTrue(dryRun.err().contains("dry run: would change 1 server through the runtime API "), dryRun.err());
    Cli.Result diff = Cli.run("diff", "--format", "json", "--inventory", inventory.toString(), "--config-file",
        layout.configFile().toString(), "--state-dir", stateDir.toString(), "--template", HaproxyInstance.slotsTemplate().toString(),
        "--slots", "10", "--var", "server_state_file=" + serverStateFile, "--var", "port=" + layout.port(), "--var",
        "stats_socket=" + layout.statsSocket(), "--var", "pidfile=" + layout.pidFile());
    assertEquals(1, diff.code(), diff.err());
    assertTrue(diff.out().replaceAll("\\s+", " ").contains("\"route\": { \"path\": \"runtime\", \"runtimeChanges\": 1,"),
        diff.out());
    Cli.Result weight = apply();
    assertTrue(weight.err().contains("runtime changes: 1, reload: no"), weight.err());
    assertEquals(50, state().get(slotsByBackend().get("A")).userWeight());

    members.set(1, members.get(1).state("drain"));
    serve(members);
    Cli.Result drain = apply();
    assertTrue(drain.err().contains("runtime changes: 1, reload: no"), drain.err());
    Row b = state().get(slotsByBackend().get("B"));
    assertTrue((b.admin() & ADMIN_DRAIN) != 0, "B is draining: " + b);
    assertNoReloadSince(start);
    assertLive(members);
    assertEquals(Set.of("A", "C"), traffic(12), "a draining server gets no new requests");
  }

  @Test
  void theEleventhServerInTenSlots_reloadsExactlyOnce() {
    List<Member> ten = members("A", "B", "C", "D", "E", "F", "G", "H", "I", "J");
    serve(ten);
    assertEquals(0, apply().code());
    ProcStatus before = haproxy.showProc();

    List<Member> eleven = members("A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K");
    serve(eleven);
    Cli.Result run = apply();

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("runtime changes: 0, reload: yes (service web needs 20 slots, had 10)"),
        run.err());
    ProcStatus after = haproxy.showProc();
    assertEquals(before.reloads() + 1, after.reloads());
    assertTrue(before.hasNewWorkerIn(after), before + " -> " + after);
    assertEquals(20, state().size());
    assertLive(eleven);
    assertEquals(names(eleven), traffic(44));
  }

  @Test
  void anUnexpectedRuntimeReply_fallsBackToAReload() {
    // static-rr accepts no runtime weight other than 0% and 100%: haproxy answers the set with an error.
    List<Member> members = members("A", "B");
    serve(members);
    assertEquals(0, apply("--var", "balance=static-rr").code());
    ProcStatus before = haproxy.showProc();

    members.set(0, members.get(0).weight(50));
    serve(members);
    Cli.Result run = apply("--var", "balance=static-rr");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("static LB algorithm"), run.err());
    assertTrue(run.err().contains("falling back to a reload"), run.err());
    assertTrue(run.err().contains("runtime changes: 0, reload: yes (runtime API"), run.err());
    ProcStatus after = haproxy.showProc();
    assertEquals(before.reloads() + 1, after.reloads());
    assertTrue(before.hasNewWorkerIn(after), before + " -> " + after);
    assertEquals(50, state().get(slotsByBackend().get("A")).userWeight());
  }

  @Test
  void afterAForcedReload_drainedServersStayDrained_andChangedServersTakeTheNewValues() {
    List<Member> members = members("A", "B", "C");
    serve(members);
    assertEquals(0, apply().code());
    members.set(1, members.get(1).state("drain"));
    serve(members);
    assertTrue(apply().err().contains("reload: no"));
    String slotA = slotsByBackend().get("A");
    ProcStatus before = haproxy.showProc();

    HttpBackend moved = HttpBackend.start("A");
    backends.put("A-moved", moved);
    members.set(0, members.get(0).port(moved.port()));
    members.set(2, members.get(2).weight(30));
    serve(members);
    Cli.Result forced = apply("--var", "extra_bind=127.0.0.1:" + FreePort.pick());

    assertEquals(0, forced.code(), forced.err());
    assertTrue(forced.err().contains("runtime changes: 0, reload: yes (line "), forced.err());
    assertEquals(before.reloads() + 1, haproxy.showProc().reloads());
    Map<String, Row> after = state();
    Row b = after.get(slotsByBackend().get("B"));
    assertTrue((b.admin() & ADMIN_DRAIN) != 0, "B's drain survived the reload (server-state-file): " + b);
    assertEquals(30, after.get(slotsByBackend().get("C")).userWeight(), "C takes the new weight, not the saved one");
    Row a = after.get(slotA);
    assertEquals(moved.port(), a.port(), "A takes the new port, not the saved one: " + a);
    assertEquals(Set.of("A", "C"), traffic(12));
  }

  // --- helpers ---------------------------------------------------------------------------------------------------

  private List<Member> members(String... names) {
    List<Member> members = new ArrayList<>();
    for (String name : names) {
      HttpBackend backend = backends.computeIfAbsent(name, HttpBackend::start);
      members.add(new Member(name, backend.port(), 100, "ready"));
    }
    return members;
  }

  private static Set<String> names(List<Member> members) {
    return members.stream().filter(m -> m.state().equals("ready")).map(Member::name)
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private void serve(List<Member> members) {
    StringBuilder servers = new StringBuilder();
    for (Member m : members) {
      if (servers.length() > 0) {
        servers.append(',');
      }
      servers.append("{\"id\":\"srv-").append(m.name()).append("\",\"address\":\"127.0.0.1\",\"port\":")
          .append(m.port()).append(",\"weight\":").append(m.weight()).append(",\"state\":\"").append(m.state())
          .append("\"}");
    }
    String json = members.isEmpty() ? "{\"version\":1,\"services\":[]}\n"
        : "{\"version\":1,\"services\":[{\"name\":\"web\",\"source\":\"file\",\"servers\":[" + servers + "]}]}\n";
    try {
      Files.writeString(inventory, json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Cli.Result apply(String... extra) {
    List<String> args = new ArrayList<>(List.of("apply", "--inventory", inventory.toString(), "--config-file",
        layout.configFile().toString(), "--state-dir", stateDir.toString(), "--reload",
        "master-socket:" + layout.masterSocket(), "--runtime-api", layout.statsSocket().toString(),
        "--max-removal=100%"));
    args.addAll(layout.slotsTemplateArgs(10, serverStateFile));
    args.addAll(List.of(extra));
    return Cli.run(args);
  }


  private void assertNoReloadSince(ProcStatus start) {
    haproxy.assertNoReloadSince(start, "no reload, the same worker serves");
  }

  /** {@code show servers state web}: the members are live at their address and weight, every other slot in maint. */
  private void assertLive(List<Member> members) {
    Map<String, Row> rows = state();
    assertEquals(10 * Math.max(1, (members.size() + 9) / 10), rows.size(), rows::toString);
    Map<Integer, Member> byPort = new HashMap<>();
    members.forEach(m -> byPort.put(m.port(), m));
    int live = 0;
    for (Row row : rows.values()) {
      Member m = row.address().equals("127.0.0.1") ? byPort.get(row.port()) : null;
      if ((row.admin() & ADMIN_FORCED_MAINT) != 0) {
        assertTrue(m == null, "a member is in maintenance: " + row);
        continue;
      }
      assertTrue(m != null, "a live slot is not a member: " + row + " in " + rows);
      live++;
      if (m.state().equals("drain")) {
        assertTrue((row.admin() & ADMIN_DRAIN) != 0 || row.userWeight() == 0, row.toString());
      } else {
        assertEquals(m.weight(), row.userWeight(), row.toString());
        assertEquals(0, row.admin() & ADMIN_DRAIN, row.toString());
      }
    }
    assertEquals(members.size(), live, rows::toString);
  }

  /** A line of {@code show servers state}, read independently of the production parser. */
  private record Row(String server, String address, int port, int admin, int userWeight) {}

  private Map<String, Row> state() {
    String text = haproxy.stats("show servers state web");
    List<String> lines = text.lines().filter(l -> !l.isBlank()).toList();
    List<String> header = List.of(lines.get(1).substring(2).split(" "));
    Map<String, Row> rows = new TreeMap<>();
    for (String line : lines.subList(2, lines.size())) {
      String[] f = line.split(" ");
      Row row = new Row(f[header.indexOf("srv_name")], f[header.indexOf("srv_addr")],
          Integer.parseInt(f[header.indexOf("srv_port")]), Integer.parseInt(f[header.indexOf("srv_admin_state")]),
          Integer.parseInt(f[header.indexOf("srv_uweight")]));
      rows.put(row.server(), row);
    }
    return rows;
  }

  /** Member name → the slot it sits in, from the live state and the backends' ports. */
  private Map<String, String> slotsByBackend() {
    Map<Integer, String> byPort = new HashMap<>();
    backends.forEach((name, backend) -> byPort.put(backend.port(), name.replace("-moved", "")));
    Map<String, String> slots = new TreeMap<>();
    for (Row row : state().values()) {
      if ((row.admin() & ADMIN_FORCED_MAINT) == 0 && byPort.containsKey(row.port())) {
        slots.put(byPort.get(row.port()), row.server());
      }
    }
    return slots;
  }

  /** Which backends {@code requests} GETs through haproxy reached. */
  private Set<String> traffic(int requests) {
    Set<String> seen = new TreeSet<>();
    for (int i = 0; i < requests; i++) {
      String answer = HttpBackend.get(layout.port());
      assertTrue(answer.startsWith("200 "), answer);
      seen.add(answer.substring(4));
    }
    return seen;
  }
}
