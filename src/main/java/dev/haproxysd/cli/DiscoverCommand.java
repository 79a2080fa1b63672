package dev.haproxysd.cli;

import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.discovery.Source;
import dev.haproxysd.fleet.FleetInventory;
import dev.haproxysd.fleet.S3Location;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "discover",
    header = "Print the inventory: services and their servers.",
    description = {
      "Discovers services and servers and prints them, as a table or as the JSON that --inventory reads.",
      "With --publish, writes that JSON to S3 after a complete discovery, with the time of discovery, for every "
          + "balancer to read with --inventory s3://BUCKET/KEY; a failed discovery publishes nothing.",
      "Example: haproxy-sd discover --asg web --region us-east-1 -o json > snapshot.json",
      "Example (the fleet's one publisher): haproxy-sd discover -q --asg web --publish s3://acme-lb/prod/inventory.json"
    })
final class DiscoverCommand implements Callable<Integer> {
  enum Format { table, json }

  @ParentCommand HaproxySdCommand root;
  @Spec CommandSpec spec;
  @Mixin SourceOptions source;
  @Mixin AwsOptions aws;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}; with --publish nothing unless -o is given). The "
          + "JSON is what --inventory reads.")
  Format format;

  @Option(names = "--publish", paramLabel = "s3://BUCKET/KEY", converter = InventoryLocation.S3Converter.class,
      description = "After a complete discovery, write the inventory JSON to this S3 object (one PutObject, "
          + "replaced atomically; needs s3:PutObject), with the time of discovery, for --inventory "
          + "s3://BUCKET/KEY on every balancer. Run it as often as the readers' --max-inventory-age expects: each "
          + "publication is also the heartbeat.")
  S3Location publish;

  @Override
  public Integer call() throws Exception {
    Log log = root.log();
    Source discovery = root.source(source, aws, null, AwsSessions.perRun());
    Instant started = root.clock.now();
    Inventory inventory = discovery.discover();
    if (publish != null) {
      FleetInventory.Published published =
          FleetInventory.publish(publish, inventory, discovery.discoveredAt().orElse(started), aws.settings(),
              log);
      log.debug("s3: " + published.calls());
      log.info(String.format("published %d services, %d servers to %s (%d bytes, sha256 %s)",
          inventory.services().size(), inventory.serverCount(), publish, published.bytes(), published.sha256()));
    }
    if (publish == null || spec.commandLine().getParseResult().hasMatchedOption("--output")) {
      if (format == Format.json) {
        InventoryJson.write(inventory, root.out);
      } else {
        printTable(inventory);
      }
    }
    root.out.flush();
    return ExitCode.OK.code;
  }

  private void printTable(Inventory inventory) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"SERVICE", "SERVER", "ADDRESS", "WEIGHT", "STATE", "ZONE"});
    for (Service service : inventory.services()) {
      if (service.servers().isEmpty()) {
        rows.add(new String[] {service.name(), "-", "-", "-", "-", "-"});
      }
      for (Server s : service.servers()) {
        rows.add(new String[] {service.name(), s.name(), s.endpoint(), Integer.toString(s.weight()),
            s.state().id(), s.zone().isEmpty() ? "-" : s.zone()});
      }
    }
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    StringBuilder line = new StringBuilder();
    for (String[] row : rows) {
      line.setLength(0);
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - row[i].length() + 2));
        }
      }
      root.out.println(line);
    }
  }
}
