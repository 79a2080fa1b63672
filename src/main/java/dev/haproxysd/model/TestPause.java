package dev.haproxysd.model;

import java.time.Duration;

/**
 * TEST ONLY: lets the fault-matrix tests SIGKILL {@code apply} at a named step. When the environment variable
 * {@value #VARIABLE} names a {@link Step}, the run prints {@code haproxy-sd: test: paused at STEP} on stderr when it
 * gets there and waits to be killed (at most {@link #LIMIT}, then it carries on). Unset — always, in production —
 * every call is a no-op; nothing else reads the variable.
 */
public final class TestPause {
  static final String VARIABLE = "HAPROXY_SD_TEST_PAUSE_AT";
  static final Duration LIMIT = Duration.ofMinutes(5);
  private static final String PAUSE_AT = System.getenv(VARIABLE);

  /** The steps of an apply where a test can stop it, in run order. */
  public enum Step {
    /** The lock is held and the guards passed; nothing written yet. */
    BEFORE_WRITE("before-write"),
    /** The candidate next to the config is complete, fsynced and passed haproxy -c; not renamed yet. */
    AFTER_TEMP_WRITE("after-temp-write"),
    /** The new config is in place; haproxy not reloaded yet. */
    AFTER_RENAME("after-rename"),
    /** The reload was sent; not verified, nothing recorded yet. */
    DURING_RELOAD("during-reload");

    public final String id;

    Step(String id) {
      this.id = id;
    }
  }

  private TestPause() {}

  public static void at(Step step) {
    if (PAUSE_AT == null || !PAUSE_AT.equals(step.id)) {
      return;
    }
    System.err.println("haproxy-sd: test: paused at " + step.id);
    System.err.flush();
    try {
      Thread.sleep(LIMIT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
