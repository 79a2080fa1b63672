package dev.haproxysd.cli;

/**
 * Told what {@code apply --watch} does: nothing in production; tests stop the loop with it and count what cycles
 * leave behind (threads, file descriptors, memory).
 */
interface WatchObserver {
  WatchObserver NONE = new WatchObserver() {};

  /** The loop is about to run its first cycle. */
  default void started(WatchLoop loop) {}

  /** A cycle finished and was recorded. */
  default void finished(WatchLoop.Finished cycle) {}
}
