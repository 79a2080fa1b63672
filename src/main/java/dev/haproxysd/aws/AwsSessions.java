package dev.haproxysd.aws;

import dev.haproxysd.model.Log;
import java.util.TreeMap;

/**
 * Where a run gets its {@link AwsSession}: a new one per run, closed when the run is done ({@link #perRun}, a
 * one-shot command), or one kept open across the runs of a long-lived process ({@link #kept}, {@code apply
 * --watch}), so that clients, their HTTP connections and credentials are built once. Kept credentials stay valid:
 * the SDK's assumed-role, web-identity and SSO providers refresh them before they expire.
 *
 * <pre>{@code
 * try (AwsSessions.Lease aws = sessions.lease(settings, environment, log)) {
 *   AwsClients clients = aws.session().clients(pair);
 *   ...
 *   log.debug("aws: " + aws.calls());   // this run's calls only
 * }
 * }</pre>
 */
public final class AwsSessions implements AutoCloseable {
  private final boolean keep;
  private AwsSession session;
  private AwsSettings settings;

  private AwsSessions(boolean keep) {
    this.keep = keep;
  }

  /** A new session for every lease, closed with it. */
  public static AwsSessions perRun() {
    return new AwsSessions(false);
  }

  /**
   * One session kept until {@link #close}; a lease with other settings (the config file was re-read) closes it and
   * opens one for those.
   */
  public static AwsSessions kept() {
    return new AwsSessions(true);
  }

  /**
   * A session for {@code settings}; close the lease when the run is done with it.
   *
   * @throws AwsException when no region is given and none can be found
   */
  public synchronized Lease lease(AwsSettings settings, AwsEnvironment environment, Log log) {
    if (!keep) {
      return new Lease(AwsSession.open(settings, environment, log), true);
    }
    if (session == null || !settings.equals(this.settings)) {
      close();
      session = AwsSession.open(settings, environment, log);
      this.settings = settings;
    }
    return new Lease(session, false);
  }

  @Override
  public synchronized void close() {
    if (session != null) {
      session.close();
      session = null;
      settings = null;
    }
  }

  /** A session for one run: its calls are counted from the lease on. */
  public static final class Lease implements AutoCloseable {
    private final AwsSession session;
    private final boolean closes;
    private final ApiCalls before;

    private Lease(AwsSession session, boolean closes) {
      this.session = session;
      this.closes = closes;
      this.before = session.calls();
    }

    public AwsSession session() {
      return session;
    }

    /** The calls made through the session since this lease began. */
    public ApiCalls calls() {
      ApiCalls now = session.calls();
      TreeMap<String, Integer> since = new TreeMap<>();
      now.calls().forEach((operation, n) -> {
        int made = n - before.calls().getOrDefault(operation, 0);
        if (made > 0) {
          since.put(operation, made);
        }
      });
      return new ApiCalls(since, now.attempts() - before.attempts());
    }

    /** Closes a per-run session; a kept one stays open. */
    @Override
    public void close() {
      if (closes) {
        session.close();
      }
    }
  }
}
