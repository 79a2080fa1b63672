package dev.haproxysd.state;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Clock;
import dev.haproxysd.testing.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** On a real file system: Jimfs locks always succeed. Across processes: see ApplyWithHaproxyTest. */
class StateLockTest {
  @TempDir Path dir;

  @Test
  void secondRun_isRefusedAtOnce_andGetsTheLockOnceTheFirstEnds() throws IOException {
    try (StateLock first = StateLock.acquire(dir, Duration.ZERO, Clock.SYSTEM)) {
      LockedException e = assertThrows(LockedException.class,
          () -> StateLock.acquire(dir, Duration.ZERO, Clock.SYSTEM));
      assertTrue(e.getMessage().startsWith("another haproxy-sd apply holds " + dir.resolve("lock")),
          e.getMessage());
    }
    StateLock.acquire(dir, Duration.ZERO, Clock.SYSTEM).close();
  }

  @Test
  void lockTimeout_retriesUntilTheDeadline() throws IOException {
    FakeClock clock = new FakeClock();
    try (StateLock first = StateLock.acquire(dir, Duration.ZERO, clock)) {
      assertThrows(LockedException.class, () -> StateLock.acquire(dir, Duration.ofSeconds(2), clock));
    }
    assertEquals(20, clock.sleeps().size(), "2 s in 100 ms steps");
  }

  /** README, fault matrix row 22: a wall-clock jump cannot stretch (or cut short) the lock wait. */
  @ParameterizedTest(name = "wall clock jumps {0} on every retry")
  @ValueSource(strings = {"-PT1H", "PT24H"})
  void lockTimeout_countsMonotonicTime_whateverTheWallClockDoes(String jump) throws IOException {
    FakeClock clock = new FakeClock().jumpWallOnEachSleep(Duration.parse(jump));
    Instant wallBefore = clock.now();
    try (StateLock first = StateLock.acquire(dir, Duration.ZERO, clock)) {
      assertThrows(LockedException.class, () -> StateLock.acquire(dir, Duration.ofSeconds(2), clock));
    }
    assertEquals(Duration.ofSeconds(2), clock.slept(), "waited exactly the timeout in monotonic time");
    assertEquals(wallBefore.plus(Duration.ofSeconds(2)).plus(Duration.parse(jump).multipliedBy(20)), clock.now(),
        "while the wall clock jumped 20 times");
  }

  @Test
  void symlinkedLockFile_isRefused() throws IOException {
    Path elsewhere = Files.createFile(dir.resolve("elsewhere"));
    Path state = Files.createDirectory(dir.resolve("state"));
    Files.createSymbolicLink(state.resolve("lock"), elsewhere);

    IOException e = assertThrows(IOException.class, () -> StateLock.acquire(state, Duration.ZERO, Clock.SYSTEM));
    assertTrue(e.getMessage().contains("symbolic link"), e.getMessage());
  }
}
