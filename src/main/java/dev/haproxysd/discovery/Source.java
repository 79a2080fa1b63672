package dev.haproxysd.discovery;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.aws.AwsEnvironment;
import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.InventoryFormatException;
import dev.haproxysd.model.Log;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** One origin of services. Implementations return a complete inventory or throw; never a partial one. */
public interface Source {
  /**
   * @throws DiscoveryException when a call or page failed
   * @throws InventoryFormatException when an inventory file cannot be read as one
   * @throws dev.haproxysd.model.UnsafeValueException when a value could not be rendered safely
   */
  Inventory discover();

  /** The AWS API calls the last {@link #discover} made (also after it failed); none for a file. */
  default ApiCalls apiCalls() {
    return ApiCalls.NONE;
  }

  /**
   * When the inventory was discovered, for a source that reads someone else's discovery (a shared inventory in S3);
   * known once {@link #discover} got that far, also when it then refused the inventory as too old.
   */
  default Optional<Instant> discoveredAt() {
    return Optional.empty();
  }

  /**
   * True for a source that reads an inventory someone else discovered (a file, S3) rather than asking AWS itself:
   * its Auto Scaling group facts are there only if the inventory carries them (version 2).
   */
  default boolean readsInventory() {
    return false;
  }

  /** An inventory file, or {@code -} for standard input. */
  static Source file(Path path, InputStream stdin) {
    return new FileSource(path, stdin);
  }

  /**
   * Auto Scaling groups, EC2 instances by tag and/or Cloud Map namespaces in every (account, region) pair of the
   * query's settings; SDK clients are built only for the selected ones.
   */
  static Source aws(AwsQuery query, Log log) {
    return aws(query, AwsEnvironment.system(), log);
  }

  /** As {@link #aws(AwsQuery, Log)}, with the environment and profile files given rather than this process's. */
  static Source aws(AwsQuery query, AwsEnvironment environment, Log log) {
    return new AwsSource(query, AwsSessions.perRun(), environment, log);
  }

  /** As {@link #aws(AwsQuery, Log)}, its AWS session from {@code sessions} (kept across the runs of a watch). */
  static Source aws(AwsQuery query, AwsSessions sessions, Log log) {
    return new AwsSource(query, sessions, AwsEnvironment.system(), log);
  }

  /** The union of several sources; a service name found in two of them fails the run. */
  static Source merge(List<Source> sources) {
    return sources.size() == 1 ? sources.get(0) : new MergedSource(sources);
  }
}
