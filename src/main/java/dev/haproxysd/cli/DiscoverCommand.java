package dev.haproxysd.cli;

import dev.haproxysd.model.InventoryJson;
import dev.haproxysd.discovery.Source;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "discover",
    header = "Print the inventory: services and their servers.",
    description = {
      "Discovers services and servers and prints them, as a table or as the JSON that --inventory reads.",
      "Example: haproxy-sd discover --asg web --region us-east-1 -o json > snapshot.json"
    })
final class DiscoverCommand implements Callable<Integer> {
  enum Format { table, json }

  @ParentCommand HaproxySdCommand root;
  @Mixin SourceOptions source;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
      description = "table or json (default: ${DEFAULT-VALUE}). The JSON is what --inventory reads.")
  Format format;

  @Override
  public Integer call() throws Exception {
    Source discovery = source.source(root.in, root.log());
    Inventory inventory = discovery.discover();
    if (format == Format.json) {
      InventoryJson.write(inventory, root.out);
    } else {
      printTable(inventory);
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
