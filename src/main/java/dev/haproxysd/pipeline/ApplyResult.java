package dev.haproxysd.pipeline;

/**
 * How an apply run ended when it did not fail.
 *
 * @param wouldChange the installed config differs from the rendered one, or was never recorded as applied
 * @param didInstall a new config file was installed
 * @param reloaded haproxy was reloaded and the reload verified
 * @param report one line for the log, e.g. {@code worker [123] -> [456], 1 listener answers}
 * @param runtimeChanges servers changed through the runtime API (then {@code reloaded} is false)
 */
public record ApplyResult(Plan plan, boolean wouldChange, boolean didInstall, boolean reloaded, String report,
    int runtimeChanges) {

  public ApplyResult(Plan plan, boolean wouldChange, boolean didInstall, boolean reloaded, String report) {
    this(plan, wouldChange, didInstall, reloaded, report, 0);
  }
}
