package dev.haproxysd.discovery;

import dev.haproxysd.model.Inventory;
import java.util.List;

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
}
