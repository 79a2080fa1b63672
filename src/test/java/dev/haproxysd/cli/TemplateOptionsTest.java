package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.render.TemplateEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class TemplateOptionsTest {
  @Test
  void renderHelpListsEveryBuiltinTemplate() {
    StringWriter out = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(new StringWriter()), "render", "--help");
    assertEquals(0, code);
    String help = out.toString().replaceAll("\\s+", " ");
    for (String name : TemplateEngine.BUILTINS) {
      assertTrue(help.contains(" " + name + " ("), "render --help does not list " + name + ":\n" + out);
    }
  }

  @Test
  void unknownBuiltinNamesTheBuiltins() {
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
        "render", "--inventory", "packaging/examples/inventory.json", "--template", "builtin:nope");
    assertEquals(13, code);
    assertTrue(err.toString().contains("asg-http, cloudmap-hosts, tls-edge, dns-srv"), err.toString());
  }
}
