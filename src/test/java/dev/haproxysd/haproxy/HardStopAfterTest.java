package dev.haproxysd.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HardStopAfterTest {
  @Test
  void readsHaproxysTimeFormat_millisecondsWithoutAUnit() {
    assertEquals(Optional.of(Duration.ofSeconds(30)), HardStopAfter.of("global\n    hard-stop-after 30s\n"));
    assertEquals(Optional.of(Duration.ofMinutes(5)), HardStopAfter.of("global\n  hard-stop-after 5m # drain\n"));
    assertEquals(Optional.of(Duration.ofMillis(1500)), HardStopAfter.of("global\n    hard-stop-after 1500\n"));
    assertEquals(Optional.of(Duration.ofHours(1)), HardStopAfter.of("global\n    hard-stop-after 1h\n"));
    assertEquals(Optional.empty(), HardStopAfter.of("global\n    # hard-stop-after 30s\n    maxconn 10\n"));
    assertEquals(Optional.empty(), HardStopAfter.of("global\n    hard-stop-after ${HSA}\n"));
  }
}
