package dev.haproxysd.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.haproxysd.testing.FakeClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListenersTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "bind :80                          | /127.0.0.1:80",
      "bind *:80                         | /127.0.0.1:80",
      "bind 0.0.0.0:8080 ssl crt /x.pem  | /127.0.0.1:8080",
      "bind 10.1.2.3:80,10.1.2.4:81      | /10.1.2.3:80 /10.1.2.4:81",
      "bind [::]:443                     | /[0:0:0:0:0:0:0:1]:443",
      "bind ipv4@127.0.0.2:90            | /127.0.0.2:90",
      "bind 127.0.0.1:8000-8002          | /127.0.0.1:8000 /127.0.0.1:8001 /127.0.0.1:8002",
      "bind /run/haproxy/fe.sock         | /run/haproxy/fe.sock",
      "bind unix@/run/haproxy/fe.sock    | /run/haproxy/fe.sock",
      "bind abns@frontend                | ''",
      "bind quic4@:443                   | ''",
      "bind \"${PORT}\"                  | ''",
      "bind :80 # a comment              | /127.0.0.1:80",
  })
  void bindAddresses_becomeConnectableAddresses(String line, String expected) {
    String config = "frontend f\n    " + line + "\n";
    List<String> addresses = Listeners.of(config).stream().map(l -> l.address().toString()).toList();
    assertEquals(expected.isEmpty() ? List.of() : List.of(expected.split(" ")), addresses);
  }

  @org.junit.jupiter.api.Test
  void aDisabledProxy_isNotChecked() {
    String config = "frontend on\n  bind :80\nfrontend off\n  disabled\n  bind :81\nbackend b\n  server s 1.2.3.4:5\n";
    assertEquals(1, Listeners.of(config).size());
  }

  /** README, fault matrix row 22: the reload verification's listener wait ends on monotonic time. */
  @ParameterizedTest(name = "wall clock jumps {0} on every retry")
  @ValueSource(strings = {"-PT1H", "PT24H"})
  void theListenerWait_endsOnMonotonicTime_whateverTheWallClockDoes(String jump, @TempDir Path dir)
      throws InterruptedException {
    FakeClock clock = new FakeClock().jumpWallOnEachSleep(Duration.parse(jump));
    List<Listeners.Listener> nobody = Listeners.of("frontend f\n    bind " + dir.resolve("nobody.sock") + "\n");

    List<String> unreachable = Listeners.unreachable(nobody, clock.deadline(Duration.ofSeconds(3)), clock);

    assertEquals(1, unreachable.size(), unreachable::toString);
    assertEquals(Duration.ofSeconds(3), clock.slept(), "waited exactly the timeout in monotonic time");
  }
}
