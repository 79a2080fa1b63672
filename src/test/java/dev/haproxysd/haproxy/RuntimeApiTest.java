package dev.haproxysd.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Replies as haproxy 2.6.12 gives them (measured), checked without a socket. */
class RuntimeApiTest {
  private static final InetAddress LOCAL = InetAddress.getLoopbackAddress();

  @Test
  void addrSucceeds_withTheLineHaproxyPrints_weightAndStateWithAnEmptyOne() {
    RuntimeApi.Command addr = RuntimeApi.Command.addr("web", "slot1", LOCAL, 9001);
    assertTrue(addr.accepts(List.of("IP changed from '127.0.0.1' to '127.0.0.2', port changed from '1' to '19002' "
        + "by 'stats socket command'")));
    assertTrue(addr.accepts(List.of("no need to change the addr, port changed from '1' to '9004' by 'stats socket "
        + "command'")));
    assertTrue(addr.accepts(List.of("no need to change the addr, no need to change the port by 'stats socket "
        + "command'")));
    assertFalse(addr.accepts(List.of("Invalid addr '1.2.3' by 'stats socket command'")));
    assertFalse(addr.accepts(List.of()));
    RuntimeApi.Command weight = RuntimeApi.Command.weight("web", "slot1", 5);
    assertTrue(weight.accepts(List.of()));
    assertFalse(weight.accepts(List.of("No such server.")));
    assertFalse(weight.accepts(List.of("Backend is using a static LB algorithm and only accepts weights '0%' and "
        + "'100%'.")));
  }

  @Test
  void eachCommandOfALine_getsItsOwnReplyBlock() {
    assertEquals(List.of(List.of(), List.of("No such server."), List.of()),
        RuntimeApi.replies("\nNo such server.\n\n\n"));
    assertEquals(List.of(List.of("no need to change the addr"), List.of(), List.of()),
        RuntimeApi.replies("no need to change the addr\n\n\n\n"));
  }

  @Test
  void valuesAreCheckedBeforeTheyAreSent() {
    assertThrows(IllegalArgumentException.class, () -> RuntimeApi.Command.addr("web", "s", LOCAL, 70000));
    assertThrows(IllegalArgumentException.class, () -> RuntimeApi.Command.addr("web", "s", LOCAL, 0));
    assertThrows(IllegalArgumentException.class, () -> RuntimeApi.Command.weight("web", "s", 257));
    assertThrows(IllegalArgumentException.class, () -> RuntimeApi.Command.state("web", "s", "up"));
    assertEquals("set server web/s addr 127.0.0.1 port 65535",
        RuntimeApi.Command.addr("web", "s", LOCAL, 65535).text());
  }

  @Test
  void showServersState_configDisabledThenReadyIsNotMaintenance() throws Exception {
    String text = "1\n# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight "
        + "srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state "
        + "srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port "
        + "srv_check_addr srv_agent_addr srv_agent_port\n"
        + "3 web 1 s1 127.0.0.1 2 8 10 10 0 1 0 2 0 0 0 0 - 9001 - 0 0 - - 0\n"
        + "3 web 3 s3 127.0.0.1 0 5 7 1 4 1 0 0 8 0 0 0 - 1 - 0 0 - - 0\n"
        + "3 web 4 s4 127.0.0.1 2 4 5 1 0 1 0 2 6 0 0 0 - 9004 - 0 0 - - 0\n\n";
    Map<String, RuntimeApi.ServerStatus> state = RuntimeApi.parseServersState(text);
    assertTrue(state.get("web/s1").drain());
    assertEquals(0, state.get("web/s1").effectiveWeight());
    assertTrue(state.get("web/s3").maint(), "disabled in the file: forced + config maintenance");
    assertFalse(state.get("web/s4").maint(), "admin 4 = the config-disabled marker after 'state ready'");
    assertEquals(9004, state.get("web/s4").port());
  }

  @Test
  void socketSpecs() {
    assertEquals("runtime API /run/haproxy/admin.sock",
        RuntimeApi.parse("/run/haproxy/admin.sock", Duration.ofSeconds(1)).describe());
    assertEquals("runtime API ipv4@127.0.0.1:9999",
        RuntimeApi.parse("ipv4@127.0.0.1:9999", Duration.ofSeconds(1)).describe());
    assertThrows(IllegalArgumentException.class, () -> RuntimeApi.parse("ipv4@127.0.0.1:70000", Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> RuntimeApi.parse("ipv6@::1:1", Duration.ZERO));
  }
}
