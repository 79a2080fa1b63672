package dev.haproxysd.model;

import java.util.Optional;

/**
 * The Auto Scaling lifecycle states haproxy-sd acts on, as AWS spells them, and what each means here. AWS adds
 * states now and then (warm pools brought {@code Warmed:*}): any other state is kept as AWS sent it and means "not a
 * server, not leaving".
 *
 * <pre>{@code
 * LifecycleState.serverState("Terminating:Wait");  // DRAIN: its connections finish while a hook holds it
 * LifecycleState.leaving("Detached");              // true: the group let it go on its own account
 * LifecycleState.waitingToTerminate("Terminating:Wait"); // true: drain before terminate completes its hook
 * }</pre>
 */
public final class LifecycleState {
  public static final String IN_SERVICE = "InService";
  public static final String TERMINATING = "Terminating";
  /** Held by a termination lifecycle hook until someone completes its action or the hook times out. */
  public static final String TERMINATING_WAIT = "Terminating:Wait";
  public static final String TERMINATING_PROCEED = "Terminating:Proceed";
  public static final String DETACHING = "Detaching";
  public static final String ENTERING_STANDBY = "EnteringStandby";
  public static final String STANDBY = "Standby";

  private LifecycleState() {}

  /**
   * What a member with this state serves as: {@code InService} ready; terminating (every phase) and {@code
   * Detaching} drain; entering or in standby maint (the caller may leave those out); anything else ({@code
   * Pending*}, {@code Warmed:*}, {@code Terminated}, ...) nothing.
   */
  public static Optional<ServerState> serverState(String state) {
    if (state == null) {
      return Optional.empty();
    }
    switch (state) {
      case IN_SERVICE:
        return Optional.of(ServerState.READY);
      case TERMINATING:
      case TERMINATING_WAIT:
      case TERMINATING_PROCEED:
      case DETACHING:
        return Optional.of(ServerState.DRAIN);
      case ENTERING_STANDBY:
      case STANDBY:
        return Optional.of(ServerState.MAINT);
      default:
        return Optional.empty();
    }
  }

  /**
   * On its way out of service on the group's own account: {@code Terminating*}, {@code Terminated}, {@code
   * Detaching}, {@code Detached}, {@code EnteringStandby}, {@code Standby}.
   */
  public static boolean leaving(String state) {
    return state.startsWith("Terminat") || state.startsWith("Detach") || state.equals(ENTERING_STANDBY)
        || state.equals(STANDBY);
  }

  /** Held in {@code Terminating:Wait}: what drain before terminate completes. */
  public static boolean waitingToTerminate(String state) {
    return TERMINATING_WAIT.equals(state);
  }
}
