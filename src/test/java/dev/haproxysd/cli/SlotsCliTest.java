package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** render and apply agree on slots: render reads them from the state directory apply records them in. */
class SlotsCliTest {
  @TempDir Path dir;

  @Test
  void renderWithTheStateDir_isWhatApplyInstalled_andWithoutItFollowsTheInventoryAlone() throws IOException {
    Path cfg = dir.resolve("haproxy.cfg");
    Path state = dir.resolve("state");
    inventory("i-a", "i-b", "i-c");
    assertEquals(0, apply(cfg, state).code());
    inventory("i-b", "i-c", "i-d");
    Cli.Result second = apply(cfg, state);
    assertEquals(0, second.code(), second.err());
    String installed = Files.readString(cfg);
    assertTrue(installed.contains("server slot1 10.0.0.4:80 check weight 100 # i-d\n"
        + "    server slot2 10.0.0.2:80 check weight 100 # i-b\n"), installed);

    Cli.Result withState = render("--state-dir", state.toString());
    assertEquals(0, withState.code(), withState.err());
    assertEquals(installed, withState.out());

    Cli.Result fresh = render("--state-dir", dir.resolve("no-such-dir").toString());
    assertEquals("", fresh.err());
    assertNotEquals(installed, fresh.out());
    assertTrue(fresh.out().contains("server slot1 10.0.0.2:80 check weight 100 # i-b\n"), fresh.out());
    assertEquals(fresh.out(), render("--state-dir", dir.resolve("no-such-dir").toString()).out());
  }

  @Test
  void slotsOff_rendersOneLinePerServerNamedAsTheServer() throws IOException {
    inventory("i-a");
    Cli.Result off = render("--slots", "0", "--state-dir", dir.toString());
    assertTrue(off.out().contains("    server i-a 10.0.0.1:80 check weight 100\n"), off.out());
    assertTrue(!off.out().contains("slot"), off.out());
    Cli.Result bad = render("--slots", "many");
    assertEquals(2, bad.code());
    assertTrue(bad.err().contains("--slots 'many': expected auto or a whole number"), bad.err());
  }

  private void inventory(String... ids) throws IOException {
    List<String> servers = new ArrayList<>();
    for (String id : ids) {
      int n = id.charAt(id.length() - 1) - 'a' + 1;
      servers.add("{\"id\":\"" + id + "\",\"address\":\"10.0.0." + n + "\",\"port\":80}");
    }
    Files.writeString(dir.resolve("inventory.json"), "{\"version\":1,\"services\":[{\"name\":\"web\",\"source\":"
        + "\"file\",\"servers\":[" + String.join(",", servers) + "]}]}\n");
  }

  private Cli.Result apply(Path cfg, Path state) {
    return Cli.run("apply", "--inventory", dir.resolve("inventory.json").toString(), "--config-file", cfg.toString(),
        "--state-dir", state.toString(), "--var", "server_state_file=none", "--var", "user=none", "--var", "group=none",
        "--max-removal=100%");
  }

  private Cli.Result render(String... extra) {
    List<String> args = new ArrayList<>(List.of("render", "--inventory", dir.resolve("inventory.json").toString(),
        "--var", "server_state_file=none", "--var", "user=none", "--var", "group=none"));
    args.addAll(List.of(extra));
    return Cli.run(args);
  }
}
