package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.Cli;
import dev.haproxysd.render.TemplateEngine;
import org.junit.jupiter.api.Test;

class TemplateOptionsTest {
  @Test
  void renderHelpListsEveryBuiltinTemplate() {
    Cli.Result r = Cli.run("render", "--help");
    assertEquals(0, r.code());
    String help = r.out().replaceAll("\\s+", " ");
    for (String name : TemplateEngine.BUILTINS) {
      assertTrue(help.contains(" " + name + " ("), "render --help does not list " + name + ":\n" + r.out());
    }
  }

  @Test
  void unknownBuiltinNamesTheBuiltins() {
    Cli.Result r = Cli.run("render", "--inventory", "packaging/examples/inventory.json", "--template", "builtin:nope");
    assertEquals(13, r.code());
    assertTrue(r.err().contains("asg-http, cloudmap-hosts, tls-edge, dns-srv"), r.err());
  }
}
