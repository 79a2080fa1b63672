package dev.haproxysd.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.common.jimfs.Configuration;
import com.google.common.jimfs.Jimfs;
import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.ScalingGroup;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.Service;
import dev.haproxysd.render.Rendered;
import dev.haproxysd.state.PendingShrink;
import dev.haproxysd.state.StateStore;
import dev.haproxysd.testing.FakeClock;
import dev.haproxysd.testing.RecordingLog;
import java.net.InetAddress;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GuardsTest {
  private final FileSystem fs = Jimfs.newFileSystem(Configuration.unix());
  private final FakeClock clock = new FakeClock();
  private final StateStore store = new StateStore(fs.getPath("/var/lib/haproxy-sd"), new RecordingLog());

  @ParameterizedTest(name = "web {0} -> {1}, api {2} -> {3}, allowEmpty={4} max={5}% force={6}: {7}")
  @CsvSource({
      // web before, after, api before, after, allowEmpty, maxRemoval, force, outcome (first sight, no capacity)
      "4, 2, 0, 0, false, 50, false, ok",          // exactly 50% may go
      "4, 1, 0, 0, false, 50, false, refused",     // 75%
      "4, 1, 0, 0, false, 80, false, ok",
      "4, 1, 0, 0, false, 50, true,  overridden",  // 75%, forced: applied, and the breach is reported
      "1, 0, 3, 3, false, 50, false, refused",     // web emptied, only 25% removed
      "1, 0, 3, 3, false, 50, true,  overridden",
      "1, 0, 3, 3, true,  50, false, ok",
      "0, 0, 2, 2, false, 50, false, ok",          // an empty service staying empty
      "2, 0, 2, 2, true,  50, false, ok",          // 50% and allowed empty
      "2, 0, 2, 2, true,  0,  false, refused",     // --max-removal 0%: nothing may go
      "4, 8, 0, 0, false, 0,  false, ok",          // growth is never refused
  })
  void withoutDesiredCapacity_refusesEmptyingOrShrinkingTooFastOnFirstSight(int webBefore, int webAfter,
      int apiBefore, int apiAfter, boolean allowEmpty, int maxRemoval, boolean force, String outcome) {
    Plan plan = plan(inventory(webBefore, apiBefore), inventory(webAfter, apiAfter));
    Guards guards = new Guards(allowEmpty, maxRemoval, 3, force);
    List<GuardBreaches> overridden = new ArrayList<>();
    RunObserver observer = new RunObserver() {
      @Override
      public void guardsOverridden(GuardBreaches breaches) {
        overridden.add(breaches);
      }
    };
    if (outcome.equals("refused")) {
      ApplyFailure e = assertThrows(ApplyFailure.class, () -> guards.check(plan, sightings(), observer));
      assertEquals(Outcome.REFUSED, e.outcome());
      assertEquals(List.of(), overridden);
      return;
    }
    guards.check(plan, sightings(), observer);
    if (outcome.equals("ok")) {
      assertEquals(List.of(), overridden, "nothing to override");
      return;
    }
    assertEquals(1, overridden.size(), "the override is reported once");
    GuardBreaches breaches = overridden.get(0);
    if (webAfter == 0) {
      assertEquals(List.of(new GuardBreaches.Emptied("web", webBefore)), breaches.emptied());
    } else {
      assertEquals(webBefore - webAfter, breaches.shrink().removed());
      assertEquals(webBefore, breaches.shrink().total());
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      // case | servers before | servers after | DesiredCapacity | lifecycle of the removed | outcome
      "scale-in 6 to 1 by DesiredCapacity            | 6 | 1 | 1 | -                   | ok",
      "6 to 2 while the group still wants 6          | 6 | 2 | 6 | -                   | unexplained",
      "6 to 2: the 4 removed are Terminated/Detached | 6 | 2 | 6 | Terminated,Detached,Standby,Detaching | ok",
      "6 to 3 wanting 4: 1 of 6 unexplained          | 6 | 3 | 4 | -                   | ok",
      "6 to 1 wanting 4: 3 of 6 unexplained (50%)    | 6 | 1 | 4 | -                   | ok",
      "6 to 1 wanting 5: 4 of 6 unexplained          | 6 | 1 | 5 | -                   | unexplained",
      "InService members that are not servers        | 4 | 1 | 4 | InService,InService,InService | unexplained",
      "scale-in to 0 by DesiredCapacity              | 4 | 0 | 0 | -                   | empty",
  })
  void anAutoScalingGroup_explainsItsOwnScaleIn(String name, int before, int after, int desired, String lifecycle,
      String outcome) {
    List<String> states = lifecycle.equals("-") ? List.of() : List.of(lifecycle.split(","));
    Map<String, String> members = new TreeMap<>();
    for (int i = 0; i < after; i++) {
      members.put("i-" + i, "InService");
    }
    for (int i = 0; i < states.size(); i++) {
      members.put("i-" + (after + i), states.get(i));
    }
    Service was = asg(before, null);
    Service is = asg(after, new ScalingGroup("web-asg", "us-east-1", "", desired, members));
    Plan plan = plan(new Inventory(List.of(was)), new Inventory(List.of(is)));
    Guards guards = new Guards(false, 50, 3, false);
    if (outcome.equals("ok")) {
      guards.check(plan, sightings(), RunObserver.NONE);
      return;
    }
    ApplyFailure e = assertThrows(ApplyFailure.class, () -> guards.check(plan, sightings(), RunObserver.NONE));
    if (outcome.equals("empty")) {
      assertEquals(List.of(new GuardBreaches.Emptied("web", before)), e.breaches().emptied());
      assertEquals(null, e.breaches().shrink(), "the removals themselves are explained");
      new Guards(true, 50, 3, false).check(plan, sightings(), RunObserver.NONE);
      return;
    }
    GuardBreaches.Shrink shrink = e.breaches().shrink();
    assertEquals(GuardBreaches.Kind.UNEXPLAINED, shrink.kind());
    assertEquals(List.of(new GuardBreaches.Shortfall("web", "", desired, after)), shrink.shortfalls());
    assertFalse(Files.exists(store.dir().resolve("pending-shrink.json")), "never confirmed by repetition");
    assertThrows(ApplyFailure.class, () -> guards.check(plan, sightings(), RunObserver.NONE), "refused again");
  }

  @Test
  void aShrinkWithoutCapacity_isAppliedOnTheThirdConsecutiveSighting_withItsFirstSeenTime() {
    Plan shrink = plan(inventory(4, 0), inventory(1, 0));
    Guards guards = new Guards(false, 50, 3, false);
    List<GuardBreaches.Sighting> confirmed = new ArrayList<>();
    RunObserver observer = new RunObserver() {
      @Override
      public void shrinkConfirmed(int removed, int total, GuardBreaches.Sighting sighting) {
        confirmed.add(sighting);
      }
    };
    java.time.Instant first = clock.now();
    for (int run = 1; run <= 2; run++) {
      ApplyFailure e = assertThrows(ApplyFailure.class, () -> guards.check(shrink, sightings(), observer));
      assertEquals(new GuardBreaches.Sighting(run, 3, first), e.breaches().shrink().sighting());
      clock.advance(Duration.ofMinutes(1));
    }
    guards.check(shrink, sightings(), observer);
    assertEquals(List.of(new GuardBreaches.Sighting(3, 3, first)), confirmed);
    assertEquals(3, store.pendingShrink().map(PendingShrink::runs).orElseThrow());
  }

  @Test
  void aOneRunGlitch_startsTheCountAgain_andADifferentShrinkToo() {
    Plan shrink = plan(inventory(4, 0), inventory(1, 0));
    Plan glitchGone = plan(inventory(4, 0), inventory(4, 0));
    Plan otherShrink = plan(inventory(4, 0), inventory(0, 0));
    Guards guards = new Guards(true, 50, 3, false);
    assertThrows(ApplyFailure.class, () -> guards.check(shrink, sightings(), RunObserver.NONE));
    assertThrows(ApplyFailure.class, () -> guards.check(shrink, sightings(), RunObserver.NONE));
    guards.check(glitchGone, sightings(), RunObserver.NONE);
    assertTrue(store.pendingShrink().isEmpty(), "a run without the shrink ends the streak");
    for (int run = 1; run <= 2; run++) {
      ApplyFailure e = assertThrows(ApplyFailure.class, () -> guards.check(shrink, sightings(), RunObserver.NONE));
      assertEquals(run, e.breaches().shrink().sighting().runs());
    }
    ApplyFailure other = assertThrows(ApplyFailure.class,
        () -> guards.check(otherShrink, sightings(), RunObserver.NONE));
    assertEquals(1, other.breaches().shrink().sighting().runs(), "another shrink is another streak");
  }

  @Test
  void confirmRunsZero_neverApplies_andADryRunRecordsNothing() throws java.io.IOException {
    Plan shrink = plan(inventory(4, 0), inventory(1, 0));
    Guards never = new Guards(false, 50, 0, false);
    for (int run = 1; run <= 5; run++) {
      assertThrows(ApplyFailure.class, () -> never.check(shrink, sightings(), RunObserver.NONE));
    }
    store.forgetPendingShrink();
    ApplyFailure e = assertThrows(ApplyFailure.class, () -> new Guards(false, 50, 3, false).check(shrink,
        ShrinkSightings.peeking(store, clock), RunObserver.NONE));
    assertEquals(1, e.breaches().shrink().sighting().runs());
    assertTrue(store.pendingShrink().isEmpty());
  }

  /** Two regions' groups of one service: east scaled in 3 → 1, west lost 5 of 6 while still wanting 6. */
  @Test
  void aServiceSpanningRegions_eachGroupExplainsItsOwnRemovals_andTheirExplanationsAddUp() {
    List<Server> east = servers("e", "us-east-1", 3);
    List<Server> west = servers("f", "eu-west-1", 6);
    List<Server> before = new ArrayList<>(east);
    before.addAll(west);
    Service was = new Service("web", "asg", before, Map.of());
    ScalingGroup eastScaledIn = group("us-east-1", 1, east.subList(0, 1));
    ScalingGroup westScaledIn = group("eu-west-1", 1, west.subList(0, 1));
    ScalingGroup westWantsSix = group("eu-west-1", 6, west.subList(0, 1));
    List<Server> after = List.of(east.get(0), west.get(0));
    Guards guards = new Guards(false, 50, 3, false);

    guards.check(plan(new Inventory(List.of(was)), new Inventory(List.of(new Service("web", "asg", after, Map.of(),
        List.of(eastScaledIn, westScaledIn))))), sightings(), RunObserver.NONE);

    ApplyFailure e = assertThrows(ApplyFailure.class, () -> guards.check(plan(new Inventory(List.of(was)),
        new Inventory(List.of(new Service("web", "asg", after, Map.of(), List.of(eastScaledIn, westWantsSix))))),
        sightings(), RunObserver.NONE));
    GuardBreaches.Shrink shrink = e.breaches().shrink();
    assertEquals(GuardBreaches.Kind.UNEXPLAINED, shrink.kind());
    assertEquals(5, shrink.removed(), "east's scale-in explains east's 2 removals, none of west's 5");
    assertEquals(List.of("web/i-f1", "web/i-f2", "web/i-f3", "web/i-f4", "web/i-f5"), e.breaches().removed());
    assertEquals(List.of(new GuardBreaches.Shortfall("web", "'web-asg' in eu-west-1", 6, 1)), shrink.shortfalls());
  }

  private static List<Server> servers(String prefix, String region, int count) {
    List<Server> servers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      servers.add(Server.of("i-" + prefix + i, InetAddress.getLoopbackAddress(), 8000 + i).from("i-" + prefix + i,
          region, ""));
    }
    return servers;
  }

  private static ScalingGroup group(String region, int desired, List<Server> inService) {
    Map<String, String> members = new TreeMap<>();
    inService.forEach(s -> members.put(s.id(), "InService"));
    return new ScalingGroup("web-asg", region, "", desired, members);
  }

  private ShrinkSightings sightings() {
    return ShrinkSightings.recording(store, clock);
  }

  private static Plan plan(Inventory before, Inventory after) {
    return new Plan(Path.of("/etc/haproxy/haproxy.cfg"), "", new Rendered("x"), after, null, before);
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

  private static Service asg(int count, ScalingGroup group) {
    List<Server> servers = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      servers.add(Server.of("i-" + i, InetAddress.getLoopbackAddress(), 8000 + i));
    }
    return new Service("web", "asg", servers, Map.of(), group == null ? List.of() : List.of(group));
  }
}
