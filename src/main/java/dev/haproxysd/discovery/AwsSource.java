package dev.haproxysd.discovery;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.aws.AwsClients;
import dev.haproxysd.aws.AwsEnvironment;
import dev.haproxysd.aws.AwsException;
import dev.haproxysd.aws.AwsPair;
import dev.haproxysd.aws.AwsSession;
import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.UnsafeValueException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The AWS sources a query selects (Auto Scaling, EC2 by tag, Cloud Map) in every (account, region) pair of the
 * run, the pairs concurrently, so a run takes as long as its slowest pair. Any pair failing fails the whole
 * discovery, naming the pair; the pairs' inventories merge by service name ({@link PairMerge}). Logs the API calls
 * at {@code -v}, also when discovery failed.
 */
final class AwsSource implements Source {
  /** Enough for a handful of accounts times regions; each thread mostly waits on AWS. */
  static final int MAX_CONCURRENT_PAIRS = 8;

  private final AwsQuery query;
  private final AwsSessions sessions;
  private final AwsEnvironment environment;
  private final Log log;
  private ApiCalls calls = ApiCalls.NONE;

  AwsSource(AwsQuery query, AwsSessions sessions, AwsEnvironment environment, Log log) {
    this.query = query;
    this.sessions = sessions;
    this.environment = environment;
    this.log = log;
  }

  @Override
  public Inventory discover() {
    AwsSessions.Lease lease;
    try {
      lease = sessions.lease(query.connection(), environment, log);
    } catch (AwsException e) {
      throw new DiscoveryException(e.getMessage(), e);
    }
    try (lease) {
      AwsSession session = lease.session();
      List<AwsPair> pairs = session.pairs();
      if (pairs.size() == 1) {
        Inventory inventory = inPair(session, pairs.get(0));
        return session.namesPairs() ? PairMerge.merge(Map.of(pairs.get(0), inventory)) : inventory;
      }
      return PairMerge.merge(concurrently(session, pairs));
    } finally {
      calls = lease.calls();
      log.debug("aws: " + calls);
    }
  }

  private Map<AwsPair, Inventory> concurrently(AwsSession session, List<AwsPair> pairs) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(pairs.size(), MAX_CONCURRENT_PAIRS), r -> {
      Thread t = new Thread(r, "discover");
      t.setDaemon(true);
      return t;
    });
    try {
      Map<AwsPair, Future<Inventory>> running = new LinkedHashMap<>();
      for (AwsPair pair : pairs) {
        running.put(pair, pool.submit(() -> inPair(session, pair)));
      }
      // Every pair is awaited and the first failure in pair order reported: the same failure gives the same line.
      Map<AwsPair, Inventory> found = new LinkedHashMap<>();
      List<RuntimeException> failures = new ArrayList<>();
      for (Map.Entry<AwsPair, Future<Inventory>> e : running.entrySet()) {
        try {
          found.put(e.getKey(), e.getValue().get());
        } catch (ExecutionException failed) {
          failures.add(failed.getCause() instanceof RuntimeException r ? r
              : new DiscoveryException(e.getKey() + ": " + failed.getCause(), failed.getCause()));
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw new DiscoveryException("AWS discovery was interrupted", interrupted);
        }
      }
      if (!failures.isEmpty()) {
        throw failures.get(0);
      }
      return found;
    } finally {
      pool.shutdownNow();
    }
  }

  /** One pair's inventory; a failure names the pair when the run has several or assumes a role. */
  private Inventory inPair(AwsSession session, AwsPair pair) {
    String where = session.namesPairs() ? "AWS " + pair + ": " : "";
    try {
      AwsClients clients = session.clients(pair);
      Inventory inventory = Inventory.EMPTY;
      if (query.autoScaling().selected()) {
        inventory = new AutoScalingSource(clients, query, log).discover();
      }
      if (query.ec2().selected()) {
        inventory = ServiceUnion.of(inventory, new Ec2TagSource(clients, query, log).discover());
      }
      if (query.cloudMap().selected()) {
        inventory = inventory.merge(new CloudMapSource(clients, query, log).discover());
      }
      return inventory;
    } catch (AwsException | DiscoveryException e) {
      throw new DiscoveryException(where + e.getMessage(), e);
    } catch (UnsafeValueException e) {
      throw where.isEmpty() ? e : e.within("AWS " + pair);
    }
  }

  @Override
  public ApiCalls apiCalls() {
    return calls;
  }
}
