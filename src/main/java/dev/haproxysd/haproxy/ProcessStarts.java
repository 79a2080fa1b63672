package dev.haproxysd.haproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * When a process of this host started, to the clock tick (10 ms), where haproxy's {@code show info} says whole
 * seconds only: {@code /proc/PID/stat} field 22 (clock ticks after boot) against {@code /proc/uptime} (seconds
 * since boot) and the wall clock now. Linux's user-visible tick rate ({@code USER_HZ}, what {@code getconf CLK_TCK}
 * prints) is 100 on every architecture haproxy-sd ships for.
 *
 * <p>What matters for adoption is when haproxy read its config: after its master was executed, which is also
 * before {@code show info}'s {@code Start_time_sec} (taken early in haproxy's start-up, in the master, and inherited
 * by the worker it forks). The worker's own start comes after the read, so it proves nothing; see {@link
 * #configReadNoEarlierThan}.
 *
 * <pre>{@code
 * Optional<Instant> started = ProcessStarts.system().startOf(pid);   // empty: no such process here
 * Instant read = ProcessStarts.system().configReadNoEarlierThan(worker.pid(), worker.startedAt());
 * }</pre>
 */
public final class ProcessStarts {
  static final int USER_HZ = 100;
  /** The value's own precision: a tick, plus the 10 ms that /proc/uptime rounds to. */
  public static final Duration PRECISION = Duration.ofMillis(20);
  private static final int PARENT_FIELD = 4;
  private static final int START_TIME_FIELD = 22;

  private final Path proc;
  private final Supplier<Instant> wallClock;
  private final int ticksPerSecond;

  ProcessStarts(Path proc, Supplier<Instant> wallClock, int ticksPerSecond) {
    this.proc = proc;
    this.wallClock = wallClock;
    this.ticksPerSecond = ticksPerSecond;
  }

  /** This host's /proc and the system clock (the kernel counts in real time, whatever clock a run is given). */
  public static ProcessStarts system() {
    return new ProcessStarts(Path.of("/proc"), Instant::now, USER_HZ);
  }

  /**
   * The latest moment known to come no later than the worker's haproxy read its config: {@code startSecond} (show
   * info's whole second), or its parent's start (the master's) when that falls within the same second — a fresh
   * start. After a reload the master runs on under its old start, which is then long before, and the whole second
   * stays the answer; so does it when /proc cannot tell (another PID namespace, no /proc).
   */
  public Instant configReadNoEarlierThan(int workerPid, Instant startSecond) {
    Optional<Instant> master = field(workerPid, PARENT_FIELD).flatMap(ppid -> startOf((int) (long) ppid));
    if (master.isEmpty() || !master.get().isBefore(startSecond.plusSeconds(1))) {
      return startSecond;
    }
    Instant lowerBound = master.get().minus(PRECISION);
    return lowerBound.isAfter(startSecond) ? lowerBound : startSecond;
  }

  /** The process's start, or empty when it is not visible here (another host, another PID namespace, gone). */
  public Optional<Instant> startOf(int pid) {
    try {
      long ticks = field(pid, START_TIME_FIELD).orElseThrow();
      Instant now = wallClock.get();
      Duration uptime = uptime(Files.readString(proc.resolve("uptime"), StandardCharsets.US_ASCII));
      Duration sinceBoot = Duration.ofMillis(ticks * 1000 / ticksPerSecond);
      return Optional.of(now.minus(uptime).plus(sinceBoot));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private Optional<Long> field(int pid, int number) {
    try {
      return Optional.of(field(Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"),
          StandardCharsets.US_ASCII), number));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /**
   * A numeric field (3 or later) of {@code /proc/PID/stat}; the name (field 2) is in parentheses and may hold spaces
   * and parentheses.
   */
  static long field(String stat, int number) {
    int close = stat.lastIndexOf(')');
    if (close < 0) {
      throw new IllegalArgumentException("no process name in " + stat);
    }
    String[] after = stat.substring(close + 1).trim().split("\\s+");
    return Long.parseLong(after[number - 3]); // fields 3, 4, ... follow the name
  }

  /** The first number of {@code /proc/uptime}, e.g. {@code 408.74}. */
  static Duration uptime(String text) {
    String seconds = text.trim().split("\\s+")[0];
    int dot = seconds.indexOf('.');
    if (dot < 0) {
      return Duration.ofSeconds(Long.parseLong(seconds));
    }
    String fraction = (seconds.substring(dot + 1) + "000").substring(0, 3);
    return Duration.ofSeconds(Long.parseLong(seconds.substring(0, dot))).plusMillis(Long.parseLong(fraction));
  }
}
