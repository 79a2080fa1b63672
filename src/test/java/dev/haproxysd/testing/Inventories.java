package dev.haproxysd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes small inventory files: {@code write(file, Map.of("web", List.of(backendPortA, backendPortB)))}. */
public final class Inventories {
  private Inventories() {}

  /** One service per entry; its servers are {@code s<port>} at 127.0.0.1:port. */
  public static Path write(Path file, Map<String, List<Integer>> services) {
    List<String> entries = new ArrayList<>();
    services.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
      List<String> servers = new ArrayList<>();
      for (int port : e.getValue()) {
        servers.add("{\"id\":\"s" + port + "\",\"address\":\"127.0.0.1\",\"port\":" + port + "}");
      }
      entries.add("{\"name\":\"" + e.getKey() + "\",\"source\":\"file\",\"servers\":["
          + String.join(",", servers) + "]}");
    });
    try {
      Files.writeString(file, "{\"version\":1,\"services\":[" + String.join(",", entries) + "]}\n");
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    return file;
  }
}
