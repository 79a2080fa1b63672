package dev.haproxysd.pipeline;

/**
 * Which way {@code apply} brings haproxy to the rendered config: not at all, through the runtime API (server
 * addresses, weights and states in existing slots, no reload), or with a reload. Decided once per run, by {@link
 * Plan#route(boolean)}, and carried in the {@link ApplyResult}.
 *
 * @param runtimeChanges for {@link Path#RUNTIME} and {@link Path#RELOAD_NO_RUNTIME_API}: how many server lines change
 * @param reason for {@link Path#RELOAD}: why the runtime API cannot do it, e.g. {@code service api is new}
 */
public record Route(Path path, int runtimeChanges, String reason) {
  /** The ways. */
  public enum Path {
    NONE,
    RUNTIME,
    /** The runtime API could do it, but the run has none: a reload. */
    RELOAD_NO_RUNTIME_API,
    RELOAD
  }

  static Route none() {
    return new Route(Path.NONE, 0, "");
  }

  static Route runtime(int changes) {
    return new Route(Path.RUNTIME, changes, "");
  }

  static Route reload(String reason) {
    return new Route(Path.RELOAD, 0, reason);
  }

  /** This route for a run without a runtime API. */
  Route withoutRuntimeApi() {
    return path == Path.RUNTIME ? new Route(Path.RELOAD_NO_RUNTIME_API, runtimeChanges, "") : this;
  }

  /** The route a run with a runtime API would take instead. */
  public Route withRuntimeApi() {
    return path == Path.RELOAD_NO_RUNTIME_API ? runtime(runtimeChanges) : this;
  }

  /**
   * E.g. {@code runtime API (3 servers), no reload}, {@code reload (service api is new)} or {@code reload (no
   * runtime API; with it: runtime API (3 servers), no reload)}.
   */
  public String describe() {
    switch (path) {
      case NONE:
        return "unchanged";
      case RUNTIME:
        return "runtime API (" + runtimeChanges + " server" + (runtimeChanges == 1 ? "" : "s") + "), no reload";
      case RELOAD_NO_RUNTIME_API:
        return "reload (no runtime API; with it: " + withRuntimeApi().describe() + ")";
      default:
        return "reload (" + reason + ")";
    }
  }
}
