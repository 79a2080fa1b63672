package dev.haproxysd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import dev.haproxysd.render.Rendered;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuardsTest {
  @ParameterizedTest(name = "web {0} -> {1}, api {2} -> {3}, allowEmpty={4} max={5}% force={6}: {7}")
  @CsvSource({
      // web before, after, api before, after, allowEmpty, maxRemoval, force, outcome
      "4, 2, 0, 0, false, 50, false, ok",          // exactly 50% may go
      "4, 1, 0, 0, false, 50, false, refused",     // 75%
      "4, 1, 0, 0, false, 80, false, ok",
      "4, 1, 0, 0, false, 50, true,  ok",
      "1, 0, 3, 3, false, 50, false, refused",     // web emptied, only 25% removed
      "1, 0, 3, 3, true,  50, false, ok",
      "0, 0, 2, 2, false, 50, false, ok",          // an empty service staying empty
      "2, 0, 2, 2, true,  50, false, ok",          // 50% and allowed empty
      "2, 0, 2, 2, true,  0,  false, refused",     // --max-removal 0%: nothing may go
      "4, 8, 0, 0, false, 0,  false, ok",          // growth is never refused
  })
  void refusesEmptyingOrShrinkingTooFast(int webBefore, int webAfter, int apiBefore, int apiAfter, boolean allowEmpty,
      int maxRemoval, boolean force, String outcome) {
    Plan plan = new Plan(Path.of("/etc/haproxy/haproxy.cfg"), "", new Rendered("x"),
        inventory(webAfter, apiAfter), null, inventory(webBefore, apiBefore));
    Guards guards = new Guards(allowEmpty, maxRemoval, force);
    if (outcome.equals("ok")) {
      guards.check(plan, RunObserver.NONE);
    } else {
      ApplyFailure e = assertThrows(ApplyFailure.class, () -> guards.check(plan, RunObserver.NONE));
      assertEquals(Outcome.REFUSED, e.outcome());
    }
  }

  private static Inventory inventory(int web, int api) {
    return new Inventory(List.of(service("web", web), service("api", api)));
  }

  private static Service service(String name, int count) {
    List<Server> servers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      servers.add(Server.of(name + "-" + i, InetAddress.getLoopbackAddress(), 8000 + i));
    }
    return new Service(name, "file", servers);
  }
}
