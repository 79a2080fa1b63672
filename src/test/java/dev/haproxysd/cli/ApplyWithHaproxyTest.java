package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FreePort;
import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.HttpBackend;
import dev.haproxysd.testing.Inventories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code apply} against a real master-worker haproxy 2.6 on 127.0.0.1, started per test from a config rendered for
 * an empty inventory (it answers 503), with JDK HttpServer backends behind it.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class ApplyWithHaproxyTest {
  /** Replacing every server at once is what --max-removal refuses by default; tests that swap backends say so. */
  private static final String SWAP = "--max-removal=100%";
  @TempDir Path dir;
  private HaproxyInstance.Layout layout;
  private HaproxyInstance haproxy;
  private Path inventory;
  private Path stateDir;
  private final List<HttpBackend> backends = new ArrayList<>();

  @BeforeEach
  void startHaproxy() {
    inventory = dir.resolve("inventory.json");
    stateDir = dir.resolve("state");
    Inventories.write(inventory, Map.of());
    haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir), Map.of(), free -> {
      layout = free;
      Cli.Result bootstrap = Cli.run(with(List.of("render", "--inventory", inventory.toString(), "--output",
          layout.configFile().toString()), template()));
      assertEquals(0, bootstrap.code(), bootstrap.err());
    });
  }

  @AfterEach
  void stop() {
    haproxy.close();
    backends.forEach(HttpBackend::close);
  }

  @Test
  void firstApply_installsReloadsAndTrafficReachesTheRenderedServer() throws IOException {
    HttpBackend a = backend("A");
    assertEquals("503", HttpBackend.get(layout.port()).substring(0, 3));
    serve(Map.of("web", List.of(a.port())));
    ProcStatus before = haproxy.showProc();

    Cli.Result run = apply();

    assertEquals(0, run.code(), run.err());
    ProcStatus after = haproxy.showProc();
    assertEquals(before.reloads() + 1, after.reloads());
    assertEquals(0, after.failed());
    assertTrue(before.hasNewWorkerIn(after), before + " -> " + after);
    assertEquals("200 A", HttpBackend.get(layout.port()));
    assertTrue(Files.readString(layout.configFile()).contains("server s" + a.port() + " 127.0.0.1:" + a.port()));
    assertTrue(Files.readString(stateDir.resolve("state.json")).contains("\"outcome\": \"applied\""));
    assertEquals("", run.out(), "apply prints nothing on stdout");
  }

  @Test
  void secondApplyWithTheSameInventory_writesNothingAndDoesNotReload() throws IOException {
    serve(Map.of("web", List.of(backend("A").port())));
    assertEquals(0, apply().code());
    Map<Path, String> filesBefore = snapshot();
    ProcStatus before = haproxy.showProc();

    Cli.Result again = apply();

    assertEquals(0, again.code(), again.err());
    assertEquals("", again.out());
    assertEquals("", again.err(), "an unchanged cron run is silent");
    haproxy.assertNoReloadSince(before, "no reload");
    assertEquals(filesBefore, snapshot(), "no file written, renamed or touched");
  }

  @Test
  void changedInventory_reloadsOnceAndTrafficMoves() {
    HttpBackend a = backend("A");
    HttpBackend b = backend("B");
    serve(Map.of("web", List.of(a.port())));
    assertEquals(0, apply().code());
    assertEquals("200 A", HttpBackend.get(layout.port()));
    serve(Map.of("web", List.of(b.port())));
    ProcStatus before = haproxy.showProc();

    assertEquals(0, apply(SWAP).code());
    assertEquals(0, apply(SWAP).code());

    ProcStatus after = haproxy.showProc();
    assertEquals(before.reloads() + 1, after.reloads(), "one reload for one change");
    assertEquals("200 B", HttpBackend.get(layout.port()));
  }

  @Test
  void configRejectedByHaproxyCheck_isNeverInstalled() throws IOException {
    serve(Map.of("web", List.of(backend("A").port())));
    assertEquals(0, apply().code());
    byte[] installed = Files.readAllBytes(layout.configFile());
    ProcStatus before = haproxy.showProc();

    Cli.Result run = apply("--var", "broken=yes");

    assertEquals(ExitCode.REJECTED.code, run.code(), run.err());
    assertTrue(run.err().contains("[ALERT]") && run.err().contains("no-such-directive"), run.err());
    assertTrue(run.err().contains("nothing was installed"), run.err());
    assertTrue(Arrays.equals(installed, Files.readAllBytes(layout.configFile())));
    assertEquals(List.of(), leftovers(), "the rejected candidate is deleted");
    haproxy.assertNoReloadSince(before, "haproxy untouched");
    assertEquals("200 A", HttpBackend.get(layout.port()));
  }

  @Test
  void reloadThatCannotBindAPort_isRolledBackAndHaproxyServesTheOldConfig() throws IOException {
    serve(Map.of("web", List.of(backend("A").port())));
    assertEquals(0, apply().code());
    byte[] good = Files.readAllBytes(layout.configFile());
    try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      ProcStatus before = haproxy.showProc();

      Cli.Result run = apply("--var", "extra_bind=127.0.0.1:" + busy.getLocalPort());

      assertEquals(ExitCode.RELOAD_FAILED.code, run.code(), run.err());
      assertEquals(1, run.errLines().size(), run.err());
      assertTrue(run.err().contains("[failed: 1]") && run.err().contains("restored the previous config"),
          run.err());
      assertTrue(Arrays.equals(good, Files.readAllBytes(layout.configFile())), "last-known-good restored");
      ProcStatus after = haproxy.showProc();
      assertEquals(before.reloads() + 2, after.reloads(), "the failed reload and the rollback reload");
      assertEquals(0, after.failed(), "the rollback reload succeeded");
      assertTrue(before.hasNewWorkerIn(after));
      assertEquals("200 A", HttpBackend.get(layout.port()));
      assertTrue(Files.readString(stateDir.resolve("state.json")).contains("\"outcome\": \"rolled-back\""));
    }
  }

  @Test
  void reloadCommandThatFails_isRolledBack_andWhenTheRollbackReloadFailsToo_exits20WithTheOldFile()
      throws IOException {
    serve(Map.of("web", List.of(backend("A").port())));
    assertEquals(0, apply().code());
    byte[] good = Files.readAllBytes(layout.configFile());
    serve(Map.of("web", List.of(backend("B").port())));

    Cli.Result run = applyWith("command:/bin/false", SWAP);

    assertEquals(ExitCode.ROLLBACK_FAILED.code, run.code(), run.err());
    assertTrue(run.err().contains("'/bin/false' exited 1") && run.err().contains("rollback failed too"),
        run.err());
    assertTrue(Arrays.equals(good, Files.readAllBytes(layout.configFile())), "the old file is back in place");
    assertEquals("200 A", HttpBackend.get(layout.port()), "haproxy never left the old config");
  }

  @Test
  void emptyGuard_refusesUntilForced() throws IOException {
    serve(Map.of("web", List.of(FreePort.pick()), "api", List.of(FreePort.pick(), FreePort.pick(),
        FreePort.pick())));
    assertEquals(0, apply().code());
    byte[] installed = Files.readAllBytes(layout.configFile());
    ProcStatus before = haproxy.showProc();
    serve(Map.of("web", List.of(), "api", currentPorts("api")));

    Cli.Result refused = apply();

    assertEquals(ExitCode.GUARD_REFUSED.code, refused.code(), refused.err());
    assertTrue(refused.err().contains("service web had 1 server and would have none"), refused.err());
    assertTrue(refused.err().contains("web/s"), "names what would have been removed: " + refused.err());
    assertTrue(Arrays.equals(installed, Files.readAllBytes(layout.configFile())));
    haproxy.assertNoReloadSince(before, "no reload");

    assertEquals(0, apply("--allow-empty").code());
  }

  @Test
  void shrinkGuard_refusesRemovingMoreThanMaxRemoval() throws IOException {
    List<Integer> four = List.of(FreePort.pick(), FreePort.pick(), FreePort.pick(), FreePort.pick());
    serve(Map.of("web", four));
    assertEquals(0, apply().code());
    byte[] installed = Files.readAllBytes(layout.configFile());
    serve(Map.of("web", four.subList(0, 1)));

    Cli.Result refused = apply();

    assertEquals(ExitCode.GUARD_REFUSED.code, refused.code(), refused.err());
    assertTrue(refused.err().contains("3 of 4 servers (75%) would be removed by a source without desired capacity, "
        + "more than --max-removal 50%; seen in 1 of 3 consecutive runs"), refused.err());
    assertTrue(Arrays.equals(installed, Files.readAllBytes(layout.configFile())));
    assertEquals(ExitCode.GUARD_REFUSED.code, apply("--max-removal", "70%").code());
    assertEquals(0, apply("--force").code());
  }

  @Test
  void twoConcurrentApplies_oneRunsTheOtherExitsWithTheLockCode() throws Exception {
    serve(Map.of("web", List.of(backend("A").port())));
    Path script = dir.resolve("slow-reload.sh");
    Files.writeString(script, "touch \"$1/started\"\n"
        + "while [ ! -e \"$1/release\" ]; do sleep 0.05; done\n"
        + "kill -USR2 \"$(cat \"$2\")\"\n");
    AtomicReference<Cli.Result> first = new AtomicReference<>();
    Thread holder = new Thread(() -> first.set(applyWith("command:/bin/sh " + script + " " + dir + " "
        + layout.pidFile(), "--master-socket", layout.masterSocket().toString())));
    holder.start();
    awaitFile(dir.resolve("started")); // the first run holds the lock and is inside its reload

    Process second = Cli.javaProcess(Main.class.getName(), applyArgs("master-socket:" + layout.masterSocket()))
        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    String secondErr = new String(second.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(second.waitFor(60, TimeUnit.SECONDS));
    Files.createFile(dir.resolve("release"));
    holder.join();

    assertEquals(ExitCode.LOCKED.code, second.exitValue(), secondErr);
    assertEquals(1, secondErr.lines().count(), secondErr);
    assertTrue(secondErr.contains("another haproxy-sd apply holds " + stateDir.resolve("lock")), secondErr);
    assertEquals(0, first.get().code(), first.get().err());
    assertEquals("200 A", HttpBackend.get(layout.port()));
  }

  @Test
  void signalStrategy_isVerifiedThroughTheMasterSocketOrTheStatsSocket() {
    serve(Map.of("web", List.of(backend("A").port())));
    ProcStatus before = haproxy.showProc();
    Cli.Result viaMaster = applyWith("signal:" + layout.pidFile(), "--master-socket",
        layout.masterSocket().toString(), "-v");
    assertEquals(0, viaMaster.code(), viaMaster.err());
    assertTrue(viaMaster.err().contains("SIGUSR2"), viaMaster.err());
    ProcStatus middle = haproxy.showProc();
    assertTrue(before.hasNewWorkerIn(middle));

    serve(Map.of("web", List.of(backend("B").port())));
    Cli.Result viaStats = applyWith("signal:" + layout.pidFile(), SWAP);
    assertEquals(0, viaStats.code(), viaStats.err());
    assertTrue(viaStats.err().contains("worker " + middle.workerPids().get(0) + " -> "), viaStats.err());
    assertEquals("200 B", HttpBackend.get(layout.port()));
  }

  /**
   * The file-level half of a kill between write and rename: a helper JVM runs the production atomic write up to the
   * fsync of its candidate and is SIGKILLed there (it is not apply; killing apply itself at that step is fault-matrix
   * row 17b). The old file stays complete and the next apply removes the candidate.
   */
  @Test
  void aWriterKilledBetweenWriteAndRename_leavesTheOldFileComplete_andTheNextApplyRemovesItsCandidate()
      throws Exception {
    serve(Map.of("web", List.of(backend("A").port())));
    assertEquals(0, apply().code());
    byte[] old = Files.readAllBytes(layout.configFile());
    Path next = dir.resolve("next.cfg");
    Files.writeString(next, "# a complete new config\n".repeat(20_000));
    Process writer = Cli.javaProcess("dev.haproxysd.testing.PrepareThenWait",
        List.of(layout.configFile().toString(), next.toString())).start();
    String line = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
    assertTrue(line != null && line.startsWith("prepared "), "got " + line);
    writer.destroyForcibly(); // SIGKILL after the write and fsync, before the rename
    writer.waitFor();

    assertTrue(Arrays.equals(old, Files.readAllBytes(layout.configFile())), "old file untouched and complete");
    Path candidate = Path.of(line.substring("prepared ".length()));
    assertTrue(Arrays.equals(Files.readAllBytes(next), Files.readAllBytes(candidate)), "candidate complete");

    serve(Map.of("web", List.of(backend("B").port())));
    Cli.Result repair = apply(SWAP);
    assertEquals(0, repair.code(), repair.err());
    assertTrue(repair.err().contains("removed " + candidate), repair.err());
    assertEquals(List.of(), leftovers());
    assertEquals("200 B", HttpBackend.get(layout.port()));
  }

  @Test
  void dryRun_printsTheDiffAndChangesNothing() throws IOException {
    HttpBackend a = backend("A");
    HttpBackend b = backend("B");
    serve(Map.of("web", List.of(a.port())));
    assertEquals(0, apply().code());
    Map<Path, String> filesBefore = snapshot();
    ProcStatus before = haproxy.showProc();
    serve(Map.of("web", List.of(b.port())));
    filesBefore.put(inventory, fingerprint(inventory));

    Cli.Result run = apply("--dry-run", SWAP);

    assertEquals(0, run.code(), run.err());
    assertTrue(run.out().contains("-    server s" + a.port()) && run.out().contains("+    server s" + b.port()),
        run.out());
    assertEquals(filesBefore, snapshot());
    haproxy.assertNoReloadSince(before, "no reload");
  }

  @Test
  void diffAsJson_listsTheChangeSetSinceTheLastApply() {
    List<Integer> ports = List.of(FreePort.pick(), FreePort.pick());
    serve(Map.of("web", ports));
    assertEquals(0, apply().code());
    int added = FreePort.pick();
    serve(Map.of("web", List.of(ports.get(0), added), "api", List.of(FreePort.pick())));

    Cli.Result diff = Cli.run(with(List.of("diff", "--format", "json", "--inventory", inventory.toString(),
        "-c", layout.configFile().toString(), "--state-dir", stateDir.toString()), template()));

    assertEquals(ExitCode.DIFFERS.code, diff.code(), diff.err());
    JsonObject json = JsonParser.parseString(diff.out()).getAsJsonObject();
    assertEquals("install", json.get("action").getAsString());
    assertEquals("state", json.get("baseline").getAsString());
    assertEquals("[\"api\"]", json.getAsJsonObject("services").get("added").toString());
    JsonObject servers = json.getAsJsonObject("servers");
    assertTrue(servers.get("added").toString().contains("\"id\":\"s" + added + "\""), servers.toString());
    assertTrue(servers.get("removed").toString().contains("\"id\":\"s" + ports.get(1) + "\""), servers.toString());
  }

  @Test
  void metricsFile_describesTheRun_evenWhenItFails() throws IOException {
    Path metrics = dir.resolve("haproxy_sd.prom");
    serve(Map.of("web", List.of(backend("A").port())));
    assertEquals(0, apply("--metrics-file", metrics.toString()).code());
    String ok = Files.readString(metrics);
    assertTrue(ok.contains("\nhaproxy_sd_last_run_reloaded 1\n") && ok.contains("haproxy_sd_servers{service=\"web\"} 1\n")
        && ok.contains("\nhaproxy_sd_last_run_success 1\n"), ok);

    serve(Map.of("web", List.of()));
    assertEquals(ExitCode.GUARD_REFUSED.code, apply("--metrics-file", metrics.toString()).code());
    String refused = Files.readString(metrics);
    assertTrue(refused.contains("\nhaproxy_sd_last_run_exit_code 19\n")
        && refused.contains("\nhaproxy_sd_last_run_success 0\n"), refused);
  }

  // --- helpers

  private HttpBackend backend(String name) {
    HttpBackend backend = HttpBackend.start(name);
    backends.add(backend);
    return backend;
  }

  private void serve(Map<String, List<Integer>> services) {
    Inventories.write(inventory, services);
  }

  private List<Integer> currentPorts(String service) throws IOException {
    List<Integer> ports = new ArrayList<>();
    String json = Files.readString(stateDir.resolve("inventory.json"));
    JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("services").forEach(s -> {
      if (s.getAsJsonObject().get("name").getAsString().equals(service)) {
        s.getAsJsonObject().getAsJsonArray("servers").forEach(v -> ports.add(v.getAsJsonObject().get("port")
            .getAsInt()));
      }
    });
    return ports;
  }

  private List<String> template() {
    return with(List.of("-t", HaproxyInstance.testTemplate().toString()), layout.templateVars());
  }

  private List<String> applyArgs(String reload, String... extra) {
    List<String> args = new ArrayList<>(List.of("apply", "--inventory", inventory.toString(), "-c",
        layout.configFile().toString(), "--state-dir", stateDir.toString(), "--reload", reload));
    args.addAll(template());
    args.addAll(List.of(extra));
    return args;
  }

  private Cli.Result apply(String... extra) {
    return applyWith("master-socket:" + layout.masterSocket(), extra);
  }

  private Cli.Result applyWith(String reload, String... extra) {
    return Cli.run(applyArgs(reload, extra));
  }

  private static List<String> with(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(p -> p.getFileName().toString().startsWith(".haproxy.cfg.")).toList();
    }
  }

  /** Every regular file under dir except haproxy's own log: content hash, size, mtime and inode. */
  private Map<Path, String> snapshot() throws IOException {
    Map<Path, String> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().equals("haproxy.log")) {
          files.put(p, fingerprint(p));
        }
      }
    }
    return files;
  }

  private static String fingerprint(Path p) throws IOException {
    var attrs = Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class);
    return dev.haproxysd.model.Sha256.of(Files.readAllBytes(p)) + " " + attrs.size() + " "
        + attrs.lastModifiedTime().toMillis() + " " + attrs.fileKey();
  }

  private static void awaitFile(Path file) throws InterruptedException {
    for (int i = 0; i < 1200 && !Files.exists(file); i++) {
      Thread.sleep(50);
    }
    assertTrue(Files.exists(file), file + " never appeared");
  }
}
