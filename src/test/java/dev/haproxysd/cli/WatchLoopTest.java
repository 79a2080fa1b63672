package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Clock;
import dev.haproxysd.testing.FakeClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link WatchLoop}'s schedule on a fake clock (start to start, never overlapped, jitter per cycle, backoff after AWS
 * failures and back), and its stop and hang-up on the real clock from another thread, as a signal handler calls
 * them.
 */
class WatchLoopTest {
  private static final Duration INTERVAL = Duration.ofSeconds(10);
  private final FakeClock clock = new FakeClock();
  private final List<WatchLoop.Finished> finished = new ArrayList<>();

  @Test
  void cyclesRunStartToStart_andALongCycleIsFollowedAtOnce() {
    Iterator<Duration> takes = List.of(Duration.ofSeconds(3), Duration.ofSeconds(15), Duration.ofSeconds(1))
        .iterator();
    WatchLoop[] loop = new WatchLoop[1];
    loop[0] = new WatchLoop(INTERVAL, Duration.ZERO, clock, bound -> 0, () -> {}, () -> {
      clock.advance(takes.next());
      if (!takes.hasNext()) {
        loop[0].stop();
      }
      return 0;
    }, finished::add);
    assertEquals(0, loop[0].run());
    assertEquals(List.of(Duration.ofSeconds(7), Duration.ZERO), clock.sleeps(), "never two at once, never a gap");
    assertEquals(3, finished.size());
    assertEquals(List.of(1L, 2L, 3L), finished.stream().map(WatchLoop.Finished::number).toList());
    assertEquals(clock.now(), finished.get(2).finishedAt());
    assertEquals(finished.get(0).startedAt().plus(INTERVAL), finished.get(0).nextAt());
  }

  @Test
  void awsFailuresDoubleTheWaitUpToTenIntervals_andASuccessBringsItBack() {
    Iterator<Integer> codes = List.of(10, 24, 10, 23, 10, 13, 10, 0).iterator();
    WatchLoop[] loop = new WatchLoop[1];
    loop[0] = new WatchLoop(INTERVAL, Duration.ZERO, clock, bound -> 0, () -> {}, () -> {
      int code = codes.next();
      if (!codes.hasNext()) {
        loop[0].stop();
      }
      return code;
    }, finished::add);
    loop[0].run();
    assertEquals(List.of(20L, 40L, 80L, 100L, 100L, 10L, 20L), clock.sleeps().stream().map(Duration::toSeconds)
        .toList(), "a template error (13) is not an AWS failure: the interval again");
    assertEquals(List.of(1, 2, 3, 4, 5, 0, 1, 0), finished.stream().map(WatchLoop.Finished::awsFailuresInARow)
        .toList());
  }

  @Test
  void eachCycleGetsItsOwnJitter() {
    Iterator<Long> jitters = List.of(3_000_000_000L, 500_000_000L).iterator();
    List<Long> bounds = new ArrayList<>();
    AtomicInteger cycles = new AtomicInteger();
    WatchLoop[] loop = new WatchLoop[1];
    loop[0] = new WatchLoop(INTERVAL, Duration.ofSeconds(5), clock, bound -> {
      bounds.add(bound);
      return jitters.next();
    }, () -> {}, () -> {
      if (cycles.incrementAndGet() == 2) {
        loop[0].stop();
      }
      return 0;
    }, finished::add);
    loop[0].run();
    assertEquals(List.of(Duration.ofSeconds(13)), clock.sleeps());
    assertEquals(List.of(5_000_000_000L, 5_000_000_000L), bounds);
    assertEquals(finished.get(1).finishedAt().plusMillis(10_500), finished.get(1).nextAt());
  }

  @Test
  void aHangUp_reloadsOnceBeforeTheNextCycle() {
    List<String> events = new ArrayList<>();
    WatchLoop[] loop = new WatchLoop[1];
    loop[0] = new WatchLoop(INTERVAL, Duration.ZERO, clock, bound -> 0, () -> events.add("reload"), () -> {
      events.add("cycle");
      if (events.size() == 1) {
        loop[0].hangUp();
      } else if (events.size() == 4) {
        loop[0].stop();
      }
      return 0;
    }, finished::add);
    loop[0].run();
    assertEquals(List.of("cycle", "reload", "cycle", "cycle"), events);
  }

  @Test
  @Timeout(30)
  void aStopWhileWaiting_endsAtOnce_andOneWhileInACycleAfterIt() throws Exception {
    CountDownLatch waiting = new CountDownLatch(1);
    WatchLoop idle = new WatchLoop(Duration.ofHours(1), Duration.ZERO, Clock.SYSTEM, bound -> 0, () -> {},
        () -> 0, f -> waiting.countDown());
    Thread looping = new Thread(() -> assertEquals(0, idle.run()));
    looping.start();
    assertTrue(waiting.await(20, TimeUnit.SECONDS));
    idle.stop();
    looping.join(TimeUnit.SECONDS.toMillis(20));
    assertTrue(!looping.isAlive(), "the hour's wait was cut short");

    CountDownLatch inCycle = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger completed = new AtomicInteger();
    WatchLoop busy = new WatchLoop(Duration.ofSeconds(1), Duration.ZERO, Clock.SYSTEM, bound -> 0, () -> {}, () -> {
      inCycle.countDown();
      try {
        assertTrue(release.await(20, TimeUnit.SECONDS));
      } catch (InterruptedException e) {
        throw new AssertionError("a cycle must never be interrupted", e);
      }
      completed.incrementAndGet();
      return 0;
    }, f -> {});
    Thread cycling = new Thread(() -> assertEquals(0, busy.run()));
    cycling.start();
    assertTrue(inCycle.await(20, TimeUnit.SECONDS));
    busy.stop();
    release.countDown();
    cycling.join(TimeUnit.SECONDS.toMillis(20));
    assertTrue(!cycling.isAlive());
    assertEquals(1, completed.get(), "the cycle in progress finished, and no other started");
  }

  @Test
  void anIntervalBelowOneSecond_isRefused() {
    assertThrows(IllegalArgumentException.class, () -> new WatchLoop(Duration.ofMillis(999), Duration.ZERO, clock,
        bound -> 0, () -> {}, () -> 0, f -> {}));
  }
}
