package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.model.Inventory;
import dev.haproxysd.model.SafeValue;
import dev.haproxysd.model.Server;
import dev.haproxysd.model.ServerState;
import dev.haproxysd.model.Service;
import dev.haproxysd.model.UnsafeValueException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TemplateEngineTest {
  @TempDir Path dir;

  static final Inventory INVENTORY = new Inventory(List.of(new Service("web", "file",
      List.of(new Server("i-1", "i-1", SafeValue.address("a", "10.0.0.1"), 8080, 256, ServerState.READY,
          "us-east-1a", Map.of("Name", "web 1\nlisten evil", "role", "frontend"))),
      Map.of("haproxy-sd:host", "Web.Example.com", "evil", "x#y"))));

  private Rendered render(String template) throws IOException {
    return render(template, new TreeMap<>());
  }

  private Rendered render(String template, TreeMap<String, String> vars) throws IOException {
    Path file = dir.resolve("t.ftl");
    Files.writeString(file, template);
    return TemplateEngine.load(file.toString()).render(INVENTORY, vars);
  }

  private String error(String template) {
    TemplateError e = assertThrows(TemplateError.class, () -> render(template));
    assertEquals(-1, e.getMessage().indexOf('\n'), "one line: " + e.getMessage());
    return e.getMessage().replace(dir.resolve("t.ftl").toString(), "t.ftl");
  }

  @Test
  void render_exposesValidatedServerFields() throws IOException {
    Rendered out = render("<#list services as s><#list s.servers as v>"
        + "${s.name} ${v.name} ${v.endpoint} ${v.port} ${v.weight} ${v.state} ${v.zone} ${v.ready?c} "
        + "${v.tags.role} ${host(s.tags['haproxy-sd:host'])}</#list></#list>");
    assertEquals("web i-1 10.0.0.1:8080 8080 256 ready us-east-1a true frontend web.example.com", out.text());
  }

  @Test
  void render_printsNumbersWithoutGroupingInAnyLocale() throws IOException {
    java.util.Locale saved = java.util.Locale.getDefault();
    java.util.Locale.setDefault(java.util.Locale.GERMANY);
    try {
      assertEquals("8080 12345", render("${services[0].servers[0].port} ${12345}").text());
    } finally {
      java.util.Locale.setDefault(saved);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      ?new          | <#assign x = "freemarker.template.utility.Execute"?new()>${x("id")} | t.ftl:1:
      ?api          | ${services?api.size()}                                              | t.ftl:1:
      undefined     | ${nope}                                                             | t.ftl:1:3: undefined value: nope
      syntax        | <#if>                                                               | t.ftl:1:
      abs include   | <#include "/etc/passwd">                                            | t.ftl:1:1:
      up include    | <#include "../../../../etc/passwd">                                 | t.ftl:1:1:
      import        | <#import "../../../../etc/passwd" as p>                             | t.ftl:1:1:
      file url      | <#include "file:///etc/passwd">                                     | t.ftl:1:1:
      interpret new | <@"<#assign x='freemarker.template.utility.Execute'?new()>"?interpret/> | t.ftl:1:
      eval api      | ${"services?api"?eval}                                              | t.ftl:1:
      object wrapper| <#assign o='freemarker.template.utility.ObjectConstructor'?new()>   | t.ftl:1:
      jython        | <#assign j='freemarker.template.utility.JythonRuntime'?new()>       | t.ftl:1:
      """)
  void sandbox_refusesEscapesAndMissingValuesWithFileLineColumn(String name, String template, String prefix) {
    String message = error(template);
    assertTrue(message.startsWith(prefix), message);
  }

  @Test
  void sandbox_optionalTemplateOutsideTheDirectory_doesNotExist() throws IOException {
    assertEquals("false", render("${.get_optional_template('../../../../etc/passwd').exists?c}").text());
    assertEquals("false", render("${.get_optional_template('/etc/hostname').exists?c}").text());
  }

  @Test
  void sandbox_includeOutside_saysWhyOnOneLine() {
    String message = error("<#include \"../../../../etc/passwd\">");
    assertTrue(!message.endsWith(":") && !message.contains("\n"), message);
  }

  @Test
  void sandbox_newIsRefusedForEveryClass() {
    assertTrue(error("<#assign x = \"freemarker.template.utility.Execute\"?new()>").contains("Instantiating"),
        "the message says why");
  }

  @Test
  void include_worksInsideTheTemplateDirectory() throws IOException {
    Files.writeString(dir.resolve("part.ftl"), "part:${services?size}");
    assertEquals("part:1", render("<#include \"part.ftl\">").text());
  }

  @Test
  void include_cannotFollowASymlinkOutOfTheTemplateDirectory() throws IOException {
    Path outside = Files.createTempFile("secret", ".txt");
    try {
      Files.writeString(outside, "SECRET");
      Files.createSymbolicLink(dir.resolve("link.ftl"), outside);
      String message = error("<#include \"link.ftl\">");
      assertTrue(message.startsWith("t.ftl: include refused: "), message);
      assertTrue(!message.contains("SECRET"), message);
    } finally {
      Files.delete(outside);
    }
  }

  @Test
  void unsafeTagValue_stopsTheRenderNamingServiceServerAndTag() {
    UnsafeValueException e = assertThrows(UnsafeValueException.class,
        () -> render("${services[0].servers[0].tags.Name}"));
    assertEquals("t.ftl:1:1: service 'web' server 'i-1' tag 'Name': unsafe value 'web 1\\nlisten evil' "
        + "contains white space (allowed: ASCII letters, digits and _ . / : @ + = -)",
        e.getMessage().replace(dir.resolve("t.ftl").toString(), "t.ftl"));
  }

  @Test
  void unsafeTagValue_isRefusedWhenListed() {
    assertThrows(UnsafeValueException.class,
        () -> render("<#list services[0].tags as k, v>${k}=${v} </#list>"));
  }

  @Test
  void unreadHostileTag_doesNoHarm() throws IOException {
    assertEquals("frontend", render("${services[0].servers[0].tags.role}").text());
  }

  @Test
  void hostHelper_refusesNonHostNames() {
    UnsafeValueException e = assertThrows(UnsafeValueException.class,
        () -> render("${host('a b')}"));
    assertTrue(e.getMessage().contains("host()"), e.getMessage());
  }

  @Test
  void vars_areCheckedLikeTags() {
    TreeMap<String, String> vars = new TreeMap<>(Map.of("bind", ":80\nlisten x", "ok", "/x"));
    assertThrows(UnsafeValueException.class, () -> render("${vars.bind}", vars));
  }

  @Test
  void load_unknownBuiltinNamesTheBuiltins() {
    TemplateError e = assertThrows(TemplateError.class, () -> TemplateEngine.load("builtin:nope"));
    assertTrue(e.getMessage().contains("asg-http"), e.getMessage());
  }
}
