package dev.haproxysd.haproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ProcessStartsTest {
  // /proc/15223/stat of a haproxy worker, with the name made hostile: ") 9 9" must not shift the fields
  private static final String STAT = "15223 (hap) 9 9 (x) S 15047 15047 14990 0 -1 4194624 2212 0 0 0 4 1 0 0 20 0 "
      + "2 0 38989 24784896 2602 18446744073709551615 1 1 0 0 0 0 0 4096 0 0 0 0 17 1 0 0 0 0 0\n";

  @Test
  void theStartIsTheBootTimePlusTheStartTicks() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path proc = Files.createDirectories(fs.getPath("/proc"));
      Files.createDirectories(proc.resolve("15223"));
      Files.writeString(proc.resolve("15223/stat"), STAT);
      Files.writeString(proc.resolve("uptime"), "408.74 389.25\n");
      Instant now = Instant.parse("2026-12-08T01:17:18.600Z");
      ProcessStarts starts = new ProcessStarts(proc, () -> now, 100);
      // booted 408.74 s before now; started 389.89 s after boot: 18.85 s ago
      assertEquals(Optional.of(now.minus(Duration.ofMillis(18_850))), starts.startOf(15223));
      assertEquals(Optional.empty(), starts.startOf(4242), "no such process here");
      Files.writeString(proc.resolve("15223/stat"), "15223 (haproxy S 1\n");
      assertEquals(Optional.empty(), starts.startOf(15223), "an unreadable stat is no start time");
    }
  }

  @Test
  void uptimeAndTicks_areReadExactly() {
    assertEquals(Duration.ofMillis(408_740), ProcessStarts.uptime("408.74 389.25\n"));
    assertEquals(Duration.ofMillis(408_700), ProcessStarts.uptime("408.7 1.0"));
    assertEquals(Duration.ofSeconds(12), ProcessStarts.uptime("12"));
    assertEquals(38989, ProcessStarts.field(STAT, 22));
    assertEquals(15047, ProcessStarts.field(STAT, 4), "the parent");
  }

  @Test
  void theConfigWasReadNoEarlierThanTheMastersStart_whenItFallsInTheSecondShowInfoSays() throws Exception {
    try (FileSystem fs = Jimfs.newFileSystem(Configuration.unix())) {
      Path proc = Files.createDirectories(fs.getPath("/proc"));
      Files.createDirectories(proc.resolve("15223"));
      Files.createDirectories(proc.resolve("15047"));
      Files.writeString(proc.resolve("15223/stat"), STAT);
      Files.writeString(proc.resolve("uptime"), "408.74 389.25\n");
      Instant now = Instant.parse("2026-12-08T01:17:18.600Z");
      ProcessStarts starts = new ProcessStarts(proc, () -> now, 100);
      // a fresh start: the master was executed 0.40 s into the second show info names, 38954 ticks after boot
      Files.writeString(proc.resolve("15047/stat"), STAT.replace("15223 (hap", "15047 (hap").replace(" 38989 ",
          " 38954 "));
      Instant second = Instant.parse("2026-12-08T01:16:59Z");
      assertEquals(Instant.parse("2026-12-08T01:16:59.380Z"), starts.configReadNoEarlierThan(15223, second),
          "the master's start, less the precision");
      // after a reload the master runs on under its start long before: the whole second stays the answer
      Files.writeString(proc.resolve("15047/stat"), STAT.replace(" 38989 ", " 100 "));
      assertEquals(second, starts.configReadNoEarlierThan(15223, second));
      // another PID namespace or no /proc: the whole second
      assertEquals(second, starts.configReadNoEarlierThan(777, second));
    }
  }
}
