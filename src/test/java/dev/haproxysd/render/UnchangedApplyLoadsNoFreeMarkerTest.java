package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.Inventories;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The memory half of skipping an unchanged render: a separate JVM running a no-change {@code apply} loads not one
 * FreeMarker class (as the JVM's own class-load log shows), so nothing on that path may touch a FreeMarker type.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class UnchangedApplyLoadsNoFreeMarkerTest {
  @TempDir Path dir;

  @Test
  void aNoChangeApplyInItsOwnJvm_loadsNoFreeMarkerClass() throws IOException, InterruptedException {
    Path inventory = Inventories.write(dir.resolve("inventory.json"), Map.of("web", List.of(8080, 8081)));
    List<String> apply = List.of("apply", "--inventory", inventory.toString(), "-c",
        dir.resolve("haproxy.cfg").toString(), "--state-dir", dir.resolve("state").toString(), "--var",
        "bind=127.0.0.1:8080");
    Cli.Result first = Cli.run(apply);
    assertEquals(0, first.code(), first.err());

    Path classes = dir.resolve("classes.log");
    ProcessBuilder child = Cli.javaProcess("dev.haproxysd.cli.Main", apply);
    child.command().add(1, "-Xlog:class+load:file=" + classes);
    child.redirectErrorStream(true);
    Process process = child.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);

    List<String> loaded = Files.readAllLines(classes);
    assertTrue(loaded.stream().anyMatch(l -> l.contains(" dev.haproxysd.pipeline.Pipeline ")), "the log lists "
        + "the classes the run loaded");
    List<String> freemarker = new ArrayList<>(loaded.stream().filter(l -> l.contains(" freemarker.")).toList());
    assertEquals(List.of(), freemarker);
  }
}
