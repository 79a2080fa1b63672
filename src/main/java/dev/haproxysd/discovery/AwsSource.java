package dev.haproxysd.discovery;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Log;

/**
 * The AWS sources a query selects (Auto Scaling, EC2 by tag, Cloud Map) over one set of clients, built for this run
 * and closed after it. Logs the API calls at {@code -v}, also when discovery failed.
 */
final class AwsSource implements Source {
  private final AwsQuery query;
  private final Log log;
  private ApiCalls calls = ApiCalls.NONE;

  AwsSource(AwsQuery query, Log log) {
    this.query = query;
    this.log = log;
  }

  @Override
  public Inventory discover() {
    AwsClients clients = new AwsClients(query.connection(), log);
    try (clients) {
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
    } finally {
      calls = clients.calls();
      log.debug("aws: " + calls);
    }
  }

  @Override
  public ApiCalls apiCalls() {
    return calls;
  }
}
