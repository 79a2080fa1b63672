package dev.haproxysd.discovery;

import dev.haproxysd.aws.ApiCalls;
import dev.haproxysd.model.Inventory;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Several sources as one: their inventories merged (service names must not clash), their API calls added up. */
final class MergedSource implements Source {
  private final List<Source> sources;

  MergedSource(List<Source> sources) {
    this.sources = List.copyOf(sources);
  }

  @Override
  public Inventory discover() {
    Inventory inventory = Inventory.EMPTY;
    for (Source source : sources) {
      inventory = inventory.merge(source.discover());
    }
    return inventory;
  }

  @Override
  public ApiCalls apiCalls() {
    ApiCalls sum = ApiCalls.NONE;
    for (Source source : sources) {
      sum = sum.plus(source.apiCalls());
    }
    return sum;
  }

  /** Only when every part reads one: a part that asks AWS brings its own group facts. */
  @Override
  public boolean readsInventory() {
    return sources.stream().allMatch(Source::readsInventory);
  }

  /** The oldest: the merged inventory is as old as its oldest part. */
  @Override
  public Optional<Instant> discoveredAt() {
    return sources.stream().map(Source::discoveredAt).flatMap(Optional::stream).min(Instant::compareTo);
  }
}
