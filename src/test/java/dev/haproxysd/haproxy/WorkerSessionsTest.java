package dev.haproxysd.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.HoldingBackend;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real master-worker haproxy with a request held open through it, then a reload on the master CLI: the stats
 * socket (the new worker) sees no session, the master CLI finds it on the old worker.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class WorkerSessionsTest {
  @TempDir Path dir;
  @AutoClose HoldingBackend b = HoldingBackend.start("B");
  private HaproxyInstance haproxy;

  @AfterEach
  void stop() {
    if (haproxy != null) {
      haproxy.close();
    }
  }

  @Test
  void aRequestHeldThroughAnOldWorker_isCountedThroughTheMasterCli_notThroughTheStatsSocket() throws Exception {
    haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir), Map.of(), layout -> Files.writeString(
        layout.configFile(), "global\n    stats socket " + layout.statsSocket() + " level admin\n"
            + "    hard-stop-after 60s\n"
            + "defaults\n    mode http\n    timeout connect 2s\n    timeout client 60s\n    timeout server 60s\n"
            + "frontend http\n    bind 127.0.0.1:" + layout.port() + "\n    default_backend web\n"
            + "backend web\n    server b 127.0.0.1:" + b.port() + "\n    server spare 127.0.0.1:9 disabled\n"));
    WorkerSessions sessions = new WorkerSessions(new MasterCli(haproxy.layout().masterSocket()));
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    assertEquals(0, sessions.snapshot().at(loopback, b.port()));

    CompletableFuture<String> held = hold();
    ProcStatus before = haproxy.showProc();
    haproxy.master("reload");
    ProcStatus after = haproxy.awaitReloadsAbove(before.reloads());
    assertEquals(before.workerPids(), after.oldWorkerPids(), "the replaced worker lives on: " + after);
    assertFalse(after.workerPids().contains(before.workerPids().get(0)));

    assertEquals(0, RuntimeApi.parse(haproxy.layout().statsSocket().toString(), Duration.ofSeconds(5)).sessions()
        .get("web/b"), "the stats socket belongs to the new worker");
    WorkerSessions.Snapshot snapshot = sessions.snapshot();
    assertEquals(1, snapshot.at(loopback, b.port()), snapshot.toString());
    assertEquals(1, snapshot.onOldWorkersAt(loopback, b.port()));
    assertEquals(0, snapshot.at(loopback, 9));
    assertEquals(2, snapshot.processes().size());

    b.release();
    assertEquals("200 B", held.get(30, TimeUnit.SECONDS));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (sessions.snapshot().at(loopback, b.port()) != 0) {
      assertTrue(System.nanoTime() < deadline, "the old worker still counts the session");
      Thread.sleep(20);
    }
  }

  @Test
  void aFreshMastersStartFromProc_isWithinTheSecondShowInfoSays_andBoundsTheConfigRead() throws Exception {
    haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir), Map.of(), layout -> Files.writeString(
        layout.configFile(), "global\n    stats socket " + layout.statsSocket() + " level admin\n"
            + "defaults\n    mode http\n    timeout connect 2s\n    timeout client 5s\n    timeout server 5s\n"
            + "frontend http\n    bind 127.0.0.1:" + layout.port() + "\n    http-request return status 200\n"));
    RuntimeApi.Worker worker = RuntimeApi.parse(haproxy.layout().statsSocket().toString(), Duration.ofSeconds(5))
        .worker();
    // measured on 2.6.12: Start_time_sec is the master's start-up second, inherited by the worker it forks
    Instant master = ProcessStarts.system().startOf((int) haproxy.masterPid()).orElseThrow();
    assertTrue(master.isBefore(worker.startedAt().plusSeconds(1)), master + " vs " + worker);
    Instant read = ProcessStarts.system().configReadNoEarlierThan(worker.pid(), worker.startedAt());
    assertFalse(read.isBefore(worker.startedAt()), read + " vs " + worker);
    assertTrue(read.isBefore(worker.startedAt().plusSeconds(1)), read + " vs " + worker);
    assertTrue(read.equals(worker.startedAt()) || read.isBefore(master), "no later than the master's start: " + read
        + " vs " + master);
  }

  private CompletableFuture<String> hold() throws InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + haproxy.layout().port() + "/hold"))
        .timeout(Duration.ofSeconds(60)).build();
    CompletableFuture<String> response = HttpClient.newHttpClient()
        .sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> r.statusCode() + " " + r.body());
    assertTrue(b.awaitHeld(response), "haproxy sent the request to B");
    return response;
  }
}
