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

/** The README keeps up with the templates: a section per built-in naming every --var its header comment lists. */
class BuiltinTemplatesDocumentedTest {
  private static final Pattern NEXT_HEADING = Pattern.compile("\n#{2,4} ");
  private static final Pattern HEADER_VAR = Pattern.compile("--var ([a-z_]+)=");
  private static final List<String> SHARED_VARS =
      List.of("bind", "health_path", "maxconn", "stats_socket", "server_state_file", "chroot", "user",
          "group");

  static List<String> builtins() {
    return TemplateEngine.BUILTINS;
  }

  @ParameterizedTest(name = "builtin:{0}")
  @MethodSource("builtins")
  void readmeHasASectionNamingEveryVar(String name) throws IOException {
    String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("\n#### " + name + "\n");
    assertTrue(start >= 0, "README.md has no '#### " + name + "' section");
    Matcher next = NEXT_HEADING.matcher(readme);
    String section = readme.substring(start, next.find(start + 1) ? next.start() : readme.length());
    for (String var : varsInHeader(name)) {
      if (SHARED_VARS.contains(var)) {
        assertTrue(readme.contains("| `" + var + "` |"), "README's shared settings table lacks --var " + var);
      } else {
        assertTrue(section.contains("`" + var + "`"), "README section " + name + " does not mention --var " + var);
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
