package dev.haproxysd.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatRowsTest {
  @Test
  void showStat_givesEachServersCurrentSessionsAndAddress_notTheProxyRows() throws Exception {
    String answer = "# pxname,svname,qcur,qmax,scur,smax,slim,stot,addr\n"
        + "web,slot1,0,0,2,3,,10,127.0.0.1:8081\n"
        + "web,slot2,0,0,0,1,,4,[fd00::5]:80\n"
        + "web,slot3,0,0,0,1,,4,\n"
        + "web,BACKEND,0,0,2,3,,14,\n"
        + "http,FRONTEND,,,2,3,,14,\n\n";
    assertEquals(List.of(
        new StatRows.Row("web", "slot1", 2, new InetSocketAddress("127.0.0.1", 8081)),
        new StatRows.Row("web", "slot2", 0, new InetSocketAddress("fd00::5", 80)),
        new StatRows.Row("web", "slot3", 0, null)), StatRows.parse(answer, "test").rows());
  }

  @Test
  void anAnswerThatIsNotShowStat_isAnError() {
    assertThrows(IOException.class, () -> StatRows.parse("# pxname,svname\nweb,slot1\n", "test"));
    IOException e = assertThrows(IOException.class, () -> StatRows.parse("Unknown command.\n", "worker 12"));
    assertEquals("worker 12: unexpected answer to 'show stat': Unknown command. (is it a stats socket?)",
        e.getMessage());
  }

  @Test
  void addressesThatAreNotIpAndPort_areNone() {
    assertNull(StatRows.endpoint("unix"));
    assertNull(StatRows.endpoint("-"));
    assertNull(StatRows.endpoint("example.com:80"));
    assertNull(StatRows.endpoint("10.0.0.1:70000"));
    assertEquals(new InetSocketAddress("10.0.0.1", 443), StatRows.endpoint("10.0.0.1:443"));
  }
}
