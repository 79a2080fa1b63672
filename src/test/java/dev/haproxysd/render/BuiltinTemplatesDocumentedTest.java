package dev.haproxysd.render;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * haproxy-sd-render(1) keeps up with the templates: a section per built-in naming every --var its header comment
 * lists.
 */
class BuiltinTemplatesDocumentedTest {
  private static final Path PAGE = Path.of("man/src/haproxy-sd-render.adoc");
  private static final Pattern NEXT_HEADING = Pattern.compile("\n={2,3} ");
  private static final Pattern HEADER_VAR = Pattern.compile("--var ([a-z_]+)=");
  private static final List<String> SHARED_VARS =
      List.of("bind", "health_path", "maxconn", "stats_socket", "server_state_file", "chroot", "user",
          "group");

  static List<String> builtins() {
    return TemplateEngine.BUILTINS;
  }

  @ParameterizedTest(name = "builtin:{0}")
  @MethodSource("builtins")
  void manPageHasASectionNamingEveryVar(String name) throws IOException {
    String page = Files.readString(PAGE, StandardCharsets.UTF_8);
    int start = page.indexOf("\n=== " + name + "\n");
    assertTrue(start >= 0, PAGE + " has no '=== " + name + "' section");
    Matcher next = NEXT_HEADING.matcher(page);
    String section = page.substring(start, next.find(start + 1) ? next.start() : page.length());
    for (String var : varsInHeader(name)) {
      if (SHARED_VARS.contains(var)) {
        assertTrue(page.contains("\n`+" + var + "+`::\n"), PAGE + "'s shared settings list lacks --var " + var);
      } else {
        assertTrue(section.contains("`+" + var + "+`"), PAGE + " section " + name + " does not mention --var " + var);
      }
    }
  }

  private static List<String> varsInHeader(String name) throws IOException {
    String text;
    try (InputStream in = TemplateEngine.class.getResourceAsStream("builtin/" + name + ".ftl")) {
      text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String header = text.substring(0, text.indexOf("-->"));
    List<String> vars = new ArrayList<>();
    Matcher m = HEADER_VAR.matcher(header);
    while (m.find()) {
      vars.add(m.group(1));
    }
    assertTrue(!vars.isEmpty(), name + " documents no --var in its header");
    return vars;
  }
}
