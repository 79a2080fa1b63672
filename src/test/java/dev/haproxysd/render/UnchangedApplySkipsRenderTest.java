package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.haproxy.ProcStatus;
import dev.haproxysd.testing.Cli;
import dev.haproxysd.testing.FakeAws;
import dev.haproxysd.testing.HaproxyInstance;
import dev.haproxysd.testing.HttpBackend;
import dev.haproxysd.testing.Inventories;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A no-change {@code apply} proves from the state directory that rendering would give the installed bytes, and then
 * builds no FreeMarker configuration at all; any change of what the render depends on renders as before. Real
 * master-worker haproxy on 127.0.0.1, real AWS SDK against the fake Auto Scaling/EC2 endpoint, a template file
 * with an include.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES) // a hang guard, not a timed assertion
class UnchangedApplySkipsRenderTest {
  private static final String SKIPPED = "template and inputs unchanged since the last apply: render skipped";

  @TempDir Path dir;
  private FakeAws aws;
  private HttpBackend a;
  private HttpBackend b;
  private HaproxyInstance haproxy;
  private HaproxyInstance.Layout layout;
  private Path template;
  private Path include;
  private Path stateDir;

  @BeforeEach
  void appliedOnce() throws IOException {
    template = dir.resolve("templates").resolve("haproxy.cfg.ftl");
    include = dir.resolve("templates").resolve("parts").resolve("backends.ftl");
    Files.createDirectories(include.getParent());
    String test = Files.readString(HaproxyInstance.testTemplate());
    int backends = test.indexOf("<#list services as service>");
    Files.writeString(template, test.substring(0, backends) + "<#include \"parts/backends.ftl\">\n");
    Files.writeString(include, test.substring(backends));
    stateDir = dir.resolve("state");
    aws = FakeAws.start();
    a = HttpBackend.start("A");
    b = HttpBackend.start("B");
    aws.group("web");
    aws.asgInstance("web", "i-0eb1", "InService", "127.0.0.1").tag("HAProxy:Instance:Port",
        Integer.toString(a.port()));
    Path empty = Inventories.write(dir.resolve("empty.json"), Map.of());
    haproxy = HaproxyInstance.start(HaproxyInstance.layout(dir), Map.of(), free -> {
      layout = free;
      Cli.Result bootstrap = Cli.run(concat(List.of("render", "--inventory", empty.toString(), "--output",
          layout.configFile().toString(), "-t", template.toString()), layout.templateVars()));
      assertEquals(0, bootstrap.code(), bootstrap.err());
    });
    Cli.Result first = apply();
    assertEquals(0, first.code(), first.err());
    assertEquals("200 A", HttpBackend.get(layout.port()));
  }

  @AfterEach
  void stop() {
    if (haproxy != null) {
      haproxy.close();
    }
    aws.close();
    a.close();
    b.close();
  }

  @Test
  void aSecondApplyWithNothingChanged_buildsNoFreeMarkerConfiguration_exitsZeroSilently_andDoesNotReload()
      throws IOException {
    Map<Path, String> filesBefore = snapshot();
    ProcStatus before = haproxy.showProc();
    int configurations = TemplateEngine.configurationsBuilt();
    int calls = aws.requests().size();

    Cli.Result again = apply();

    assertEquals(configurations, TemplateEngine.configurationsBuilt(), "no template parsed, nothing rendered");
    assertEquals(0, again.code(), again.err());
    assertEquals("", again.out());
    assertEquals("", again.err(), "an unchanged cron run is silent");
    haproxy.assertNoReloadSince(before, "no reload");
    assertEquals(filesBefore, snapshot(), "no file written");
    assertTrue(aws.requests().size() > calls, "it still discovers: the inventory is an input");
    assertEquals("200 A", HttpBackend.get(layout.port()));
  }

  @Test
  void verbose_saysInOneLineThatTheRenderWasSkipped_andParsesNothing() {
    Cli.Result again = apply("-v");

    assertEquals(0, again.code(), again.err());
    assertEquals(1, again.errLines().stream().filter(l -> l.contains(SKIPPED)).count(), again.err());
    assertFalse(again.err().contains("parsed in"), again.err());
    assertFalse(again.err().contains("debug: rendered "), again.err());
  }

  @Test
  void editingAnIncludedFile_rendersAgain_installsAndReloadsOnce_andTheNextRunSkipsAgain() throws IOException {
    Files.writeString(include, "# backends follow\n" + Files.readString(include));
    ProcStatus before = haproxy.showProc();
    int configurations = TemplateEngine.configurationsBuilt();

    Cli.Result run = apply("-v");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("template file parts/backends.ftl changed since the last apply"), run.err());
    assertEquals(configurations + 1, TemplateEngine.configurationsBuilt());
    assertEquals(before.reloads() + 1, haproxy.showProc().reloads());
    assertTrue(Files.readString(layout.configFile()).contains("# backends follow\n"));
    assertSkipsWithoutReload();
  }

  @Test
  void editingTheMainFile_rendersAgain() throws IOException {
    Files.writeString(template, "# main edited\n" + Files.readString(template));
    int configurations = TemplateEngine.configurationsBuilt();

    Cli.Result run = apply("-v");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("template file haproxy.cfg.ftl changed since the last apply"), run.err());
    assertEquals(configurations + 1, TemplateEngine.configurationsBuilt());
    assertTrue(Files.readString(layout.configFile()).startsWith("# main edited\n"));
    assertSkipsWithoutReload();
  }

  @Test
  void aNewVarTheTemplateIgnores_rendersOnce_writesOnlyTheNewKey_andTheNextRunSkips() throws IOException {
    String config = Files.readString(layout.configFile());
    String stateBefore = Files.readString(stateDir.resolve("state.json"));
    ProcStatus before = haproxy.showProc();
    int configurations = TemplateEngine.configurationsBuilt();

    Cli.Result run = apply("-v", "--var", "unused=1");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("rendering: the template variables or the template's name changed"), run.err());
    assertTrue(run.err().contains("recorded the render key of " + layout.configFile()), run.err());
    assertEquals(configurations + 1, TemplateEngine.configurationsBuilt());
    haproxy.assertNoReloadSince(before, "the same config: no reload");
    assertEquals(config, Files.readString(layout.configFile()), "the same config: not rewritten");
    assertEquals(withoutRenderKey(stateBefore), withoutRenderKey(Files.readString(stateDir.resolve("state.json"))),
        "only the render key changed");
    assertSkipsWithoutReload("--var", "unused=1");
  }

  @Test
  void afterAnUpgrade_theFirstUnchangedRunRendersAndRecordsTheNewBuildsKey_theNextSkips() throws IOException {
    Path state = stateDir.resolve("state.json");
    String recorded = Files.readString(state);
    String build = recorded.replaceFirst("(?s).*\"build\": \"([^\"]*)\".*", "$1");
    assertTrue(build.startsWith("haproxy-sd "), recorded);
    Files.writeString(state, recorded.replace(build, "haproxy-sd 0.0.9 (commit 000000000000), Java 17"));
    ProcStatus before = haproxy.showProc();
    int configurations = TemplateEngine.configurationsBuilt();

    Cli.Result run = apply("-v");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("rendering: the last apply ran another build (haproxy-sd 0.0.9"), run.err());
    assertEquals(configurations + 1, TemplateEngine.configurationsBuilt());
    haproxy.assertNoReloadSince(before, "an upgrade alone reloads nothing");
    assertEquals(recorded, Files.readString(state), "the state is what this build recorded");
    assertSkipsWithoutReload();
  }

  private static String withoutRenderKey(String stateJson) {
    return stateJson.replaceAll("(?s)\"render\": \\{.*?\\n  \\}", "\"render\": ...");
  }

  @Test
  void aChangedInventory_rendersAgain_andReloads() throws IOException {
    aws.asgInstance("web", "i-0eb2", "InService", "127.0.0.1").tag("HAProxy:Instance:Port",
        Integer.toString(b.port()));
    ProcStatus before = haproxy.showProc();

    Cli.Result run = apply("-v");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("rendering: the inventory changed since the last apply"), run.err());
    assertEquals(before.reloads() + 1, haproxy.showProc().reloads());
    assertTrue(Files.readString(layout.configFile()).contains("127.0.0.1:" + b.port()));
    assertSkipsWithoutReload();
  }

  @Test
  void aHandEditedConfig_rendersAgain_andIsOverwrittenAsBefore() throws IOException {
    String applied = Files.readString(layout.configFile());
    Files.writeString(layout.configFile(), applied + "# edited by hand\n");
    ProcStatus before = haproxy.showProc();
    int configurations = TemplateEngine.configurationsBuilt();

    Cli.Result run = apply("-v");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("rendering: " + layout.configFile() + " is not the config the last apply rendered"),
        run.err());
    assertTrue(run.err().contains("was edited by hand since the last apply"), run.err());
    assertEquals(configurations + 1, TemplateEngine.configurationsBuilt());
    assertEquals(applied, Files.readString(layout.configFile()));
    assertEquals(before.reloads() + 1, haproxy.showProc().reloads());
  }

  @Test
  void aBrokenTemplateAfterASuccessfulApply_failsBeforeAnyApiCall_withTheTemplateExitCode() throws IOException {
    String good = Files.readString(template);
    Files.writeString(template, "<#if>\n" + good);
    int calls = aws.requests().size();
    ProcStatus before = haproxy.showProc();

    Cli.Result run = apply();

    assertEquals(13, run.code(), run.err());
    assertTrue(run.oneErrorLine(), run.err());
    assertTrue(run.err().contains("haproxy.cfg.ftl:1:"), run.err());
    assertEquals(calls, aws.requests().size(), "a template that does not parse costs no API call");
    haproxy.assertNoReloadSince(before, "no reload");

    Files.writeString(template, good);
    assertSkipsWithoutReload();
  }

  @Test
  void force_renders_andChangesNothing() throws IOException {
    Map<Path, String> filesBefore = snapshot();
    ProcStatus before = haproxy.showProc();
    int configurations = TemplateEngine.configurationsBuilt();

    Cli.Result run = apply("--force");

    assertEquals(0, run.code(), run.err());
    assertEquals("", run.err());
    assertEquals(configurations + 1, TemplateEngine.configurationsBuilt());
    haproxy.assertNoReloadSince(before, "no reload");
    assertEquals(filesBefore, snapshot());
  }

  @Test
  void aTemplateThatReadsTheClock_isRenderedEveryRun() throws IOException {
    Files.writeString(include, "# rendered <#if .now?long gt 0>recently</#if>\n" + Files.readString(include));
    Cli.Result changed = apply("-v");
    assertEquals(0, changed.code(), changed.err());
    assertTrue(changed.err().contains("render not keyed, the next apply renders again: parts/backends.ftl mentions "
        + "'now'"), changed.err());
    int configurations = TemplateEngine.configurationsBuilt();

    Cli.Result run = apply("-v");

    assertEquals(0, run.code(), run.err());
    assertTrue(run.err().contains("rendering: the last apply recorded no render key"), run.err());
    assertEquals(configurations + 1, TemplateEngine.configurationsBuilt());
  }

  /** The next apply (with {@code extra} arguments) skips the render, and haproxy is not reloaded. */
  private void assertSkipsWithoutReload(String... extra) {
    ProcStatus before = haproxy.showProc();
    int configurations = TemplateEngine.configurationsBuilt();
    List<String> args = new ArrayList<>(List.of("-v"));
    args.addAll(List.of(extra));
    Cli.Result next = apply(args.toArray(String[]::new));
    assertEquals(0, next.code(), next.err());
    assertTrue(next.err().contains(SKIPPED), next.err());
    assertEquals(configurations, TemplateEngine.configurationsBuilt());
    haproxy.assertNoReloadSince(before, "no reload");
  }

  private Cli.Result apply(String... extra) {
    List<String> args = new ArrayList<>(List.of("apply", "--region", "us-east-1", "--endpoint-url",
        aws.endpoint().toString(), "--asg", "web", "-t", template.toString(), "-c", layout.configFile().toString(),
        "--state-dir", stateDir.toString(), "--reload", "master-socket:" + layout.masterSocket()));
    args.addAll(layout.templateVars());
    args.addAll(List.of(extra));
    return Cli.run(args);
  }

  private Map<Path, String> snapshot() throws IOException {
    Map<Path, String> files = new TreeMap<>();
    for (Path root : List.of(layout.configFile(), stateDir)) {
      try (Stream<Path> paths = Files.walk(root)) {
        for (Path p : paths.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals("lock"))
            .toList()) {
          files.put(p, Files.getLastModifiedTime(p) + " " + Files.readString(p));
        }
      }
    }
    return files;
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }
}
