package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Sha256;
import dev.haproxysd.model.TemplateFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What an engine records of the template files FreeMarker read (real FreeMarker, real files), and {@link
 * TemplateRef} reading exactly those files again without FreeMarker.
 */
class TemplateReadsTest {
  @TempDir Path dir;
  private Path main;
  private Path include;

  @BeforeEach
  void templateWithAnIncludeAnImportAndAnOptionalInclude() throws IOException {
    main = dir.resolve("haproxy.cfg.ftl");
    include = dir.resolve("parts").resolve("backend.ftl");
    Files.createDirectories(include.getParent());
    Files.writeString(main, "<#import \"parts/lib.ftl\" as lib>global\n<#include \"parts/backend.ftl\">"
        + "<#include \"parts/optional.ftl\" ignore_missing=true>${lib.greeting}\n");
    Files.writeString(include, "<#list services as s>backend ${s.name}\n</#list>");
    Files.writeString(dir.resolve("parts").resolve("lib.ftl"), "<#assign greeting = \"hi\">");
  }

  private TemplateEngine rendered() {
    TemplateEngine engine = TemplateEngine.load(main.toString());
    engine.render(TemplateEngineTest.INVENTORY, new TreeMap<>());
    return engine;
  }

  private static Sha256 sha(Path file) throws IOException {
    return Sha256.of(Files.readAllBytes(file));
  }

  @Test
  void reads_listEveryFileLookedUp_withTheDigestOfItsBytes_andAMissingOptionalIncludeAsAbsent() throws IOException {
    TemplateReads reads = rendered().reads();

    assertEquals(List.of(
        new TemplateFile("haproxy.cfg.ftl", sha(main)),
        new TemplateFile("parts/backend.ftl", sha(include)),
        new TemplateFile("parts/lib.ftl", sha(dir.resolve("parts/lib.ftl"))),
        TemplateFile.absent("parts/optional.ftl")), reads.files());
    assertEquals(Optional.of(reads.files()), reads.repeatable());
  }

  @Test
  void reads_ofAParsedTemplateNotYetRendered_areTheMainFileOnly() throws IOException {
    assertEquals(List.of(new TemplateFile("haproxy.cfg.ftl", sha(main))),
        TemplateEngine.load(main.toString()).reads().files());
  }

  @Test
  void firstChanged_isEmptyWhileEveryFileHoldsTheSameBytes() {
    TemplateEngine engine = rendered();

    assertEquals(Optional.empty(), TemplateRef.of(main.toString()).firstChanged(engine.reads().files()));
  }

  @Test
  void firstChanged_namesAnEditedInclude() throws IOException {
    List<TemplateFile> files = rendered().reads().files();
    Files.writeString(include, "backend edited\n");

    assertEquals(Optional.of("parts/backend.ftl"), TemplateRef.of(main.toString()).firstChanged(files));
  }

  @Test
  void firstChanged_namesAnEditedMainFile() throws IOException {
    List<TemplateFile> files = rendered().reads().files();
    Files.writeString(main, Files.readString(main) + "# one more line\n");

    assertEquals(Optional.of("haproxy.cfg.ftl"), TemplateRef.of(main.toString()).firstChanged(files));
  }

  @Test
  void firstChanged_namesAnOptionalIncludeThatAppeared() throws IOException {
    List<TemplateFile> files = rendered().reads().files();
    Files.writeString(dir.resolve("parts").resolve("optional.ftl"), "# now there\n");

    assertEquals(Optional.of("parts/optional.ftl"), TemplateRef.of(main.toString()).firstChanged(files));
  }

  @Test
  void firstChanged_namesADeletedInclude() throws IOException {
    List<TemplateFile> files = rendered().reads().files();
    Files.delete(dir.resolve("parts").resolve("lib.ftl"));

    assertEquals(Optional.of("parts/lib.ftl"), TemplateRef.of(main.toString()).firstChanged(files));
  }

  @Test
  void firstChanged_namesAnIncludeReplacedByALinkOutOfTheTemplateDirectory_evenWithTheSameBytes(
      @TempDir Path elsewhere) throws IOException {
    List<TemplateFile> files = rendered().reads().files();
    Path outside = elsewhere.resolve("backend.ftl");
    Files.copy(include, outside);
    Files.delete(include);
    Files.createSymbolicLink(include, outside);

    assertEquals(Optional.of("parts/backend.ftl"), TemplateRef.of(main.toString()).firstChanged(files),
        "FreeMarker would refuse it, so it is not the same template");
  }

  @Test
  void firstChanged_looksForIncludesBesideTheMainFileGivenNow(@TempDir Path other) throws IOException {
    List<TemplateFile> files = rendered().reads().files();
    Files.copy(main, other.resolve("haproxy.cfg.ftl"));

    assertEquals(Optional.of("parts/backend.ftl"),
        TemplateRef.of(other.resolve("haproxy.cfg.ftl").toString()).firstChanged(files));
  }

  @Test
  void builtin_readsItsResource_andRereadsTheSameBytes() throws IOException {
    TemplateEngine engine = TemplateEngine.load("builtin:asg-http");
    engine.render(TemplateEngineTest.INVENTORY, new TreeMap<>(java.util.Map.of("bind", "127.0.0.1:8080")));
    byte[] resource;
    try (InputStream in = TemplateEngine.class.getResourceAsStream("builtin/asg-http.ftl")) {
      resource = in.readAllBytes();
    }

    assertEquals(List.of(new TemplateFile("asg-http.ftl", Sha256.of(resource))), engine.reads().files());
    assertEquals("builtin:asg-http", engine.template().location());
    assertEquals(Optional.empty(), TemplateRef.of("builtin:asg-http").firstChanged(engine.reads().files()));
    assertEquals(Optional.of("nope.ftl"), TemplateRef.of("builtin:asg-http").firstChanged(
        List.of(new TemplateFile("nope.ftl", Sha256.of(resource)))));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"# rendered at ${.now}\n", "${\"1 + 1\"?eval}\n", "<#assign t = \"x\"?interpret>\n",
      "<#-- do not render now -->\n"})
  void aTemplateThatMayReadTheClock_isNotRepeatable(String line) throws IOException {
    Files.writeString(include, line + Files.readString(include));

    TemplateReads reads = rendered().reads();

    assertEquals(Optional.empty(), reads.repeatable());
    assertTrue(reads.notRepeatable().startsWith("parts/backend.ftl mentions"), reads.notRepeatable());
  }

  @Test
  void anIncludeInAnotherEncoding_isRecordedByItsBytes_andRendersAsBefore() throws IOException {
    Files.writeString(main, "<#include \"latin.ftl\" encoding=\"ISO-8859-1\">");
    byte[] latin = "# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    Files.write(dir.resolve("latin.ftl"), latin);

    TemplateEngine engine = TemplateEngine.load(main.toString());
    Rendered out = engine.render(TemplateEngineTest.INVENTORY, new TreeMap<>());

    assertEquals("# caf\u00e9\n", out.text());
    assertTrue(engine.reads().files().contains(new TemplateFile("latin.ftl", Sha256.of(latin))));
    assertFalse(engine.reads().repeatable().isEmpty());
  }
}
