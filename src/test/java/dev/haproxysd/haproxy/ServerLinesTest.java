package dev.haproxysd.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerLinesTest {
  private static final String BASE = String.join("\n",
      "global",
      "    server-state-base /var/lib/haproxy",
      "    server-state-file server-state",
      "frontend http",
      "    bind :80",
      "    default_backend web",
      "backend web",
      "    server slot1 10.0.0.1:80 check weight 100 # i-1",
      "    server slot2 127.0.0.1:1 check disabled",
      "    server slot3 [fd00::1]:80 check weight 5",
      "");

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "fill a free slot|    server slot2 127.0.0.1:1 check disabled|    server slot2 10.0.0.2:81 check weight 7 # i-2",
      "empty a slot|    server slot1 10.0.0.1:80 check weight 100 # i-1|    server slot1 127.0.0.1:1 check disabled",
      "weight|    server slot1 10.0.0.1:80 check weight 100 # i-1|    server slot1 10.0.0.1:80 check weight 0 # i-1",
      "maint|    server slot1 10.0.0.1:80 check weight 100 # i-1|    server slot1 10.0.0.1:80 check weight 100 disabled",
      "IPv6 port|    server slot3 [fd00::1]:80 check weight 5|    server slot3 [fd00::2]:8080 check weight 5"})
  void runtimeChanges_areNotStructural(String what, String from, String to) {
    ServerLines running = ServerLines.of(BASE);
    ServerLines desired = ServerLines.of(BASE.replace(from, to));
    assertEquals(Optional.empty(), running.structuralDifference(desired));
    assertEquals(1, running.changedIn(desired).size());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "another keyword|    server slot1 10.0.0.1:80 check weight 100 # i-1|    server slot1 10.0.0.1:80 check weight 100 backup",
      "a host name|    server slot1 10.0.0.1:80 check weight 100 # i-1|    server slot1 web.internal:80 check weight 100",
      "port 70000|    server slot1 10.0.0.1:80 check weight 100 # i-1|    server slot1 10.0.0.1:70000 check weight 100",
      "a renamed slot|    server slot2 127.0.0.1:1 check disabled|    server slot9 127.0.0.1:1 check disabled",
      "a frontend line|    bind :80|    bind :81",
      "a comment|# nothing|# something"})
  void everythingElse_isStructural(String what, String from, String to) {
    String base = BASE + "# nothing\n";
    Optional<String> why = ServerLines.of(base).structuralDifference(ServerLines.of(base.replace(from, to)));
    assertTrue(why.isPresent(), what);
    assertTrue(why.get().startsWith("line "), why.get());
  }

  @Test
  void anAddedLine_isStructural() {
    Optional<String> why = ServerLines.of(BASE)
        .structuralDifference(ServerLines.of(BASE + "    server slot4 127.0.0.1:1 check disabled\n"));
    assertEquals(Optional.of("line 11 changed: server slot4 127.0.0.1:1 check disabled"), why);
  }

  @Test
  void serverLinesCarryWhatTheRuntimeApiSets() {
    ServerLines lines = ServerLines.of(BASE);
    assertEquals(3, lines.servers().size());
    ServerLines.ServerLine free = lines.servers().get(1);
    assertEquals("web/slot2", free.id());
    assertTrue(free.disabled());
    assertEquals(1, free.weight());
    assertEquals(1, free.port());
    assertEquals(Optional.of(Path.of("/var/lib/haproxy/server-state")), lines.serverStateFile());
    assertEquals(Optional.empty(), ServerLines.of("global\n    server-state-file relative\n").serverStateFile());
  }
}
