package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.pipeline.Outcome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code status} reads back what {@code --metrics-file} wrote: the last run's time, exit code and inventory age. */
class MetricsTextfileReadTest {
  @TempDir Path dir;

  @Test
  void whatWasWritten_readsBack_toTheMillisecond() throws IOException {
    Path file = dir.resolve("haproxy_sd.prom");
    Instant finished = Instant.parse("2026-01-01T00:00:09.250Z");
    Instant discovered = Instant.parse("2025-12-31T23:58:00.007Z");
    MetricsTextfile.write(file, new MetricsTextfile.Run(finished, 22, null, Duration.ofMillis(300), ApiCalls.NONE,
        null, discovered));
    assertEquals(new MetricsTextfile.LastRun(finished, 22, discovered), MetricsTextfile.read(file));

    MetricsTextfile.write(file, new MetricsTextfile.Run(finished, 0, Outcome.UNCHANGED, Duration.ofMillis(300),
        ApiCalls.NONE, null, null));
    assertNull(MetricsTextfile.read(file).inventoryDiscoveredAt());
  }

  @Test
  void anotherFile_isAnIOExceptionNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("other.prom"), "# HELP x y\nnode_load1 0.5\n");
    IOException e = assertThrows(IOException.class, () -> MetricsTextfile.read(file));
    assertTrue(e.getMessage().startsWith(file + ": not a haproxy-sd metrics file"), e.getMessage());
  }
}
