package dev.haproxysd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.haproxy.ProcessRunner;
import dev.haproxysd.haproxy.ReloadException;
import dev.haproxysd.haproxy.ReloadStrategy;
import dev.haproxysd.haproxy.RuntimeApi;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Log;
import dev.haproxysd.testing.HaproxyInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What adoption proves against a real master-worker haproxy running backend {@code web} with {@code a} at
 * 127.0.0.1:9001 and {@code b} at 127.0.0.1:9002 in maintenance: the installed file is adopted only when its servers
 * are exactly those, at those addresses and ports and in maintenance exactly where it says {@code disabled}, and the
 * master reports no failed reload and lists the worker that answered.
 */
@Timeout(60)
class AdoptionTest {
  private static final String RUNNING_SERVERS = """
          server a 127.0.0.1:9001
          server b 127.0.0.1:9002 disabled
      """;

  @TempDir
  static Path dir;
  private static HaproxyInstance haproxy;
  private static Path installed;

  @BeforeAll
  static void startHaproxy() {
    haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir), java.util.Map.of(),
        layout -> Files.writeString(layout.configFile(), config(layout, RUNNING_SERVERS)));
    installed = haproxy.layout().configFile();
  }

  @AfterAll
  static void stopHaproxy() {
    if (haproxy != null) {
      haproxy.close();
    }
  }

  @Test
  void theRunningServers_areAdopted_withTheMastersWord() throws IOException {
    Adoption.Verdict verdict = adoption(realMaster()).check(writtenBeforeTheWorker(), installed(RUNNING_SERVERS));

    assertTrue(verdict.proved(), verdict.detail());
    assertTrue(verdict.detail().endsWith("its servers are the file's; no failed reload"), verdict.detail());
  }

  @Test
  void withoutAMasterSocket_theServersAloneProveIt() throws IOException {
    Adoption.Verdict verdict = adoption(null).check(writtenBeforeTheWorker(), installed(RUNNING_SERVERS));

    assertTrue(verdict.proved(), verdict.detail());
    assertTrue(verdict.detail().endsWith("its servers are the file's"), verdict.detail());
  }

  @Test
  void aServerTheFileAdds_isNotAdopted() throws IOException {
    assertNotAdopted(RUNNING_SERVERS + "    server c 127.0.0.1:9003\n", "haproxy has no server web/c");
  }

  @Test
  void aServerHaproxyRunsThatTheFileLacks_isNotAdopted() throws IOException {
    assertNotAdopted("    server a 127.0.0.1:9001\n",
        "haproxy runs server web/b, which the file does not have");
  }

  @Test
  void anotherPort_isNotAdopted() throws IOException {
    assertNotAdopted("    server a 127.0.0.1:9009\n    server b 127.0.0.1:9002 disabled\n",
        "web/a runs at 127.0.0.1:9001 ", ", the file says 127.0.0.1:9009");
  }

  @Test
  void anotherAddress_isNotAdopted() throws IOException {
    assertNotAdopted("    server a 127.0.0.2:9001\n    server b 127.0.0.1:9002 disabled\n",
        "web/a runs at 127.0.0.1:9001 ", ", the file says 127.0.0.2:9001");
  }

  @Test
  void aServerInMaintenanceTheFileEnables_isNotAdopted() throws IOException {
    assertNotAdopted("    server a 127.0.0.1:9001\n    server b 127.0.0.1:9002\n", "web/b is ", ", the file says enabled");
  }

  @Test
  void aServingServerTheFileDisables_isNotAdopted() throws IOException {
    assertNotAdopted("    server a 127.0.0.1:9001 disabled\n    server b 127.0.0.1:9002 disabled\n", "web/a is ",
        ", the file says disabled");
  }

  @Test
  void aFailedReloadTheMasterReports_isNotAdopted() throws IOException {
    ProcStatus real = haproxy.showProc();
    ProcStatus failed = new ProcStatus(real.masterPid(), real.reloads(), 1, real.workerPids());

    Adoption.Verdict verdict = adoption(answering(failed)).check(writtenBeforeTheWorker(),
        installed(RUNNING_SERVERS));

    assertFalse(verdict.proved());
    assertEquals("the master reports a failed reload ([failed: 1])", verdict.detail());
  }

  @Test
  void aWorkerTheMasterDoesNotList_isNotAdopted() throws IOException {
    ProcStatus real = haproxy.showProc();
    int other = real.workerPids().get(0) + 100_000;
    ProcStatus elsewhere = new ProcStatus(real.masterPid(), real.reloads(), 0, List.of(other));

    Adoption.Verdict verdict = adoption(answering(elsewhere)).check(writtenBeforeTheWorker(),
        installed(RUNNING_SERVERS));

    assertFalse(verdict.proved());
    assertEquals("worker " + real.workerPids().get(0) + " is not among the master's workers [" + other + "]",
        verdict.detail());
  }

  @Test
  void aFileWrittenAfterTheWorkerStarted_isNotAdopted() throws IOException {
    Path file = writtenBeforeTheWorker();
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().plusSeconds(60)));

    Adoption.Verdict verdict = adoption(realMaster()).check(file, installed(RUNNING_SERVERS));

    assertFalse(verdict.proved());
    assertTrue(verdict.detail().contains(", before " + file + " was written"), verdict.detail());
  }

  @Test
  void anUnreachableRuntimeApi_isNotAdopted() throws IOException {
    Adoption.Verdict verdict = new Adoption(RuntimeApi.parse(dir.resolve("no-such.sock").toString(),
        Duration.ofSeconds(2)), null).check(writtenBeforeTheWorker(), installed(RUNNING_SERVERS));

    assertFalse(verdict.proved());
    assertTrue(verdict.detail().contains("No such file or directory"), verdict.detail());
  }

  // --- fixtures

  private static void assertNotAdopted(String servers, String... detailParts) throws IOException {
    Adoption.Verdict verdict = adoption(realMaster()).check(writtenBeforeTheWorker(), installed(servers));

    assertFalse(verdict.proved(), verdict.detail());
    for (String part : detailParts) {
      assertTrue(verdict.detail().contains(part), verdict.detail());
    }
  }

  private static Adoption adoption(ReloadStrategy reload) {
    return new Adoption(RuntimeApi.parse(haproxy.layout().statsSocket().toString(), Duration.ofSeconds(5)), reload);
  }

  private static ReloadStrategy realMaster() {
    return ReloadStrategy.parse("master-socket:" + haproxy.layout().masterSocket(), null, Duration.ofSeconds(5),
        ProcessRunner.system(), Clock.SYSTEM, Log.SILENT);
  }

  /** A strategy whose master answers {@code status}: what a master after a failed reload or a restart would say. */
  private static ReloadStrategy answering(ProcStatus status) {
    return new ReloadStrategy() {
      @Override
      public String describe() {
        return "a master answering " + status;
      }

      @Override
      public Optional<ProcStatus> processes() {
        return Optional.of(status);
      }

      @Override
      public Reload prepare(String runningConfig) throws ReloadException {
        throw new ReloadException("adoption never reloads");
      }
    };
  }

  /** The installed file, last written well before haproxy's worker started. */
  private static Path writtenBeforeTheWorker() throws IOException {
    Files.setLastModifiedTime(installed, FileTime.from(Instant.now().minusSeconds(3600)));
    return installed;
  }

  private static String installed(String servers) {
    return config(haproxy.layout(), servers);
  }

  private static String config(HaproxyInstance.Layout layout, String servers) {
    return "global\n    stats socket " + layout.statsSocket() + " mode 600 level admin\n"
        + "    pidfile " + layout.pidFile() + "\n    hard-stop-after 5s\n\n"
        + "defaults\n    mode http\n    timeout connect 2s\n    timeout client 10s\n    timeout server 10s\n\n"
        + "frontend http\n    bind 127.0.0.1:" + layout.port() + "\n    default_backend web\n\n"
        + "backend web\n" + servers;
  }
}
