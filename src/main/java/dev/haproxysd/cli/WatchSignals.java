package dev.haproxysd.cli;

import java.util.ArrayList;
import java.util.List;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * The signals of {@code apply --watch}: SIGTERM and SIGINT stop the {@link WatchLoop} (exit 0), SIGHUP has it
 * re-read the config file before the next cycle. Replaces the JVM's own handlers (which would exit in the middle of
 * a cycle) while the watch runs, and puts them back on {@link #close}. {@code sun.misc.Signal} (module
 * jdk.unsupported) is the JDK's supported way to handle a signal without exiting.
 */
final class WatchSignals implements AutoCloseable {
  private final List<Signal> signals = new ArrayList<>();
  private final List<SignalHandler> previous = new ArrayList<>();

  private WatchSignals() {}

  static WatchSignals install(WatchLoop loop) {
    WatchSignals installed = new WatchSignals();
    installed.handle("TERM", loop::stop);
    installed.handle("INT", loop::stop);
    installed.handle("HUP", loop::hangUp);
    return installed;
  }

  private void handle(String name, Runnable action) {
    Signal signal = new Signal(name);
    previous.add(Signal.handle(signal, s -> action.run()));
    signals.add(signal);
  }

  @Override
  public void close() {
    for (int i = 0; i < signals.size(); i++) {
      Signal.handle(signals.get(i), previous.get(i));
    }
  }
}
