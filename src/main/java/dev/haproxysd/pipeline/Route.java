package dev.haproxysd.pipeline;

/**
 * Which way {@code apply} brings haproxy to the rendered config: not at all, through the runtime API (server
 * addresses, weights and states in existing slots, no reload), or with a reload.
 *
 * @param runtimeChanges for {@link Path#RUNTIME}: how many server lines change
 * @param reason for {@link Path#RELOAD}: why the runtime API cannot do it, e.g. {@code service api is new}
 */
public record Route(Path path, int runtimeChanges, String reason) {
  /** The ways. */
  public enum Path {
    NONE,
    RUNTIME,
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

  /** E.g. {@code runtime API (3 servers), no reload} or {@code reload (service api is new)}. */
  public String describe() {
    switch (path) {
      case NONE:
        return "unchanged";
      case RUNTIME:
        return "runtime API (" + runtimeChanges + " server" + (runtimeChanges == 1 ? "" : "s") + "), no reload";
      default:
        return "reload (" + reason + ")";
    }
  }
}
