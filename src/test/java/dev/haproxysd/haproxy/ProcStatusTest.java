package dev.haproxysd.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProcStatusTest {
  // verbatim from haproxy 2.6.12 after a failed reload
  private static final String AFTER_FAILED_RELOAD =
      "#<PID>          <type>          <reloads>       <uptime>        <version>      \n"
          + "6794            master          2 [failed: 1]   0d00h10m45s     2.6.12-1+deb12u4\n"
          + "# workers\n"
          + "21277           worker          1               0d00h00m12s     2.6.12-1+deb12u4\n"
          + "# programs\n\n";

  @Test
  void parsesMasterCountersAndWorkers() {
    ProcStatus status = ProcStatus.parse(AFTER_FAILED_RELOAD);
    assertEquals(new ProcStatus(6794, 2, 1, List.of(21277)), status);
  }

  @Test
  void oldWorkers_areListedApart() {
    // verbatim from haproxy 2.6.12 with a request held through the worker a reload replaced
    ProcStatus status = ProcStatus.parse("#<PID>          <type>          <reloads>       <uptime>        <version>\n"
        + "15047           master          1 [failed: 0]   0d00h00m05s     2.6.12-1+deb12u4\n"
        + "# workers\n"
        + "15223           worker          0               0d00h00m01s     2.6.12-1+deb12u4\n"
        + "# old workers\n"
        + "15069           worker          1               0d00h00m05s     2.6.12-1+deb12u4\n"
        + "# programs\n\n");
    assertEquals(new ProcStatus(15047, 1, 0, List.of(15223), List.of(15069)), status);
    assertEquals(List.of(15223, 15069), status.allWorkerPids());
  }

  @Test
  void newWorker_isAPidThatWasNotThereBefore() {
    ProcStatus before = new ProcStatus(1, 0, 0, List.of(10));
    assertTrue(before.hasNewWorkerIn(new ProcStatus(1, 1, 0, List.of(10, 11))));
    assertTrue(!before.hasNewWorkerIn(new ProcStatus(1, 1, 1, List.of(10))));
  }

  @Test
  void anAnswerWithoutAMasterLine_isRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ProcStatus.parse("Unknown command\n"));
    assertTrue(e.getMessage().contains("'Unknown command'"), e.getMessage());
  }
}
