package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.Cli;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CliTest {
  static final String EXAMPLE = "packaging/examples/inventory.json";
  static final Path GOLDEN = Path.of("src/test/resources/golden/asg-http/example.cfg");

  @TempDir Path dir;

  private static String golden() throws IOException {
    return Files.readString(GOLDEN, StandardCharsets.UTF_8);
  }

  @Test
  void render_printsExactlyTheConfigOnStdout() throws IOException {
    Cli.Result r = Cli.run("render", "--inventory", EXAMPLE);
    assertEquals(0, r.code(), r.err());
    assertEquals(golden(), r.out());
    assertEquals("", r.err());
  }

  @Test
  void render_writesTheOutputFileAndNothingOnStdout() throws IOException {
    Path out = dir.resolve("haproxy.cfg");
    Cli.Result r = Cli.run("render", "--inventory", EXAMPLE, "--output", out.toString());
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    assertEquals(golden(), Files.readString(out));
    try (var files = Files.list(dir)) {
      assertEquals(1, files.count(), "no temp file left behind");
    }
  }

  @Test
  void discoverJson_pipesIntoRenderFromStdin() throws IOException {
    Cli.Result discover = Cli.run("discover", "--inventory", EXAMPLE, "-o", "json");
    assertEquals(0, discover.code(), discover.err());
    assertEquals(Files.readString(Path.of(EXAMPLE)), discover.out());
    Cli.Result render = Cli.runWithStdin(discover.out(), "render", "--inventory", "-");
    assertEquals(0, render.code(), render.err());
    assertEquals(golden(), render.out());
  }

  @Test
  void discover_printsATable() {
    Cli.Result r = Cli.run("discover", "--inventory", EXAMPLE);
    assertEquals(0, r.code(), r.err());
    String[] lines = r.out().split("\n");
    assertEquals("SERVICE  SERVER               ADDRESS         WEIGHT  STATE  ZONE", lines[0]);
    assertEquals("api      i-0a1b2c3d4e5f60002  10.0.2.22:8080  100     drain  us-east-1b", lines[2]);
    assertEquals(6, lines.length);
  }

  @Test
  void diff_followsDiffExitCodes() throws IOException {
    Path cfg = dir.resolve("haproxy.cfg");
    Files.writeString(cfg, golden());
    Cli.Result same = Cli.run("diff", "--inventory", EXAMPLE, "--config-file", cfg.toString());
    assertEquals(0, same.code(), same.err());
    assertEquals("", same.out());

    Files.writeString(cfg, golden().replace("weight 50", "weight 60"));
    Cli.Result differs = Cli.run("diff", "--inventory", EXAMPLE, "--config-file", cfg.toString());
    assertEquals(1, differs.code(), differs.err());
    assertTrue(differs.out().startsWith("--- " + cfg + "\n+++ " + cfg + " (rendered)\n@@ "), differs.out());
    assertTrue(differs.out().contains("\n-    server slot2 10.0.2.12:80 check weight 60 # i-0f9e8d7c6b5a40002\n"
        + "+    server slot2 10.0.2.12:80 check weight 50 # i-0f9e8d7c6b5a40002\n"), differs.out());
    // The in-process run's default state dir is fresh and empty: no recorded apply, so apply would reload.
    assertEquals(2, differs.errLines().size(), differs.err());
    assertTrue(differs.errLines().get(0).startsWith("haproxy-sd: warning: no state in "), differs.err());
    assertEquals("haproxy-sd: apply would reload (no recorded apply to compare with)", differs.errLines().get(1));
  }

  @Test
  void diff_againstAMissingFileShowsEverythingAdded() {
    Cli.Result r = Cli.run("diff", "--inventory", EXAMPLE, "--config-file", dir.resolve("none.cfg").toString());
    assertEquals(1, r.code());
    assertTrue(r.out().startsWith("--- /dev/null\n"), r.out());
  }

  @Test
  void diff_troubleIsTwoOrMore() {
    Cli.Result r = Cli.run("diff", "--inventory", dir.resolve("missing.json").toString(), "--config-file", "x");
    assertEquals(11, r.code());
    assertTrue(r.oneErrorLine(), r.err());
  }

  @Test
  void validate_acceptsTheRenderedConfigWithTheRealHaproxy() {
    // No apply created the built-in's server-state-file on this machine: haproxy would warn about a missing one.
    // No haproxy system user is needed either.
    Cli.Result r = Cli.run("validate", "--inventory", EXAMPLE, "--var", "server_state_file=none", "--var",
        "user=none", "--var", "group=none");
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    assertEquals("haproxy-sd: the rendered config: valid\n", r.err());
  }

  @Test
  void validate_showsAlertLinesAndExits14WhenHaproxyRejects() throws IOException {
    Path cfg = dir.resolve("bad.cfg");
    Files.writeString(cfg, "global\n    bogus-keyword 1\ndefaults\n    mode http\n");
    Cli.Result r = Cli.run("validate", cfg.toString());
    assertEquals(14, r.code(), r.err());
    assertEquals("", r.out());
    assertTrue(r.err().contains("[ALERT] config : parsing [" + cfg + ":2] : unknown keyword 'bogus-keyword'"),
        r.err());
    String last = r.err().lines().reduce((a, b) -> b).orElseThrow();
    assertTrue(last.startsWith("haproxy-sd: haproxy -c rejected " + cfg + ": config : parsing ["), last);
  }

  @Test
  void validate_exits15WhenHaproxyIsNotInstalled() {
    Cli.Result r = Cli.run("validate", "--inventory", EXAMPLE, "--haproxy-bin", dir.resolve("no-haproxy").toString());
    assertEquals(15, r.code(), r.err());
    assertTrue(r.oneErrorLine(), r.err());
    assertTrue(r.err().contains("install haproxy or pass --haproxy-bin PATH"), r.err());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      newline in id        | "id": "i-1\\nlisten evil", "address": "10.0.0.1", "port": 80        | server id: unsafe value 'i-1\\nlisten evil' contains a line break
      hash in name         | "id": "i-1", "name": "a#b", "address": "10.0.0.1", "port": 80       | server 'i-1': name: unsafe value 'a#b' contains '#'
      space in name        | "id": "i-1", "name": "a b", "address": "10.0.0.1", "port": 80       | server 'i-1': name: unsafe value 'a b' contains white space
      quote in name        | "id": "i-1", "name": "a\\"b", "address": "10.0.0.1", "port": 80     | server 'i-1': name: unsafe value 'a"b' contains '"'
      semicolon in name    | "id": "i-1", "name": "a;b", "address": "10.0.0.1", "port": 80       | server 'i-1': name: unsafe value 'a;b' contains ';'
      env in name          | "id": "i-1", "name": "${SECRET}", "address": "10.0.0.1", "port": 80 | server 'i-1': name: unsafe value '${SECRET}' contains '$'
      look-alike in name   | "id": "i-1", "name": "w\\u0435b", "address": "10.0.0.1", "port": 80 | server 'i-1': name: unsafe value 'w\\u0435b' contains non-ASCII character U+0435
      host name address    | "id": "i-1", "address": "web.internal", "port": 80                  | server 'i-1': address: unsafe value 'web.internal' is not an IP address literal
      newline in address   | "id": "i-1", "address": "10.0.0.1\\n", "port": 80                   | server 'i-1': address: unsafe value '10.0.0.1\\n' is not an IP address literal
      port 0               | "id": "i-1", "address": "10.0.0.1", "port": 0                       | server 'i-1': port: port 0 is outside 1-65535
      port 70000           | "id": "i-1", "address": "10.0.0.1", "port": 70000                   | server 'i-1': port: port 70000 is outside 1-65535
      weight 300           | "id": "i-1", "address": "10.0.0.1", "port": 80, "weight": 300       | server 'i-1': weight: weight 300 is outside 0-256
      """)
  void hostileInventoryValue_isRefusedWithExit12AndNothingWritten(String name, String server, String message)
      throws IOException {
    Path inventory = dir.resolve("inventory.json");
    Files.writeString(inventory, "{\"version\": 1, \"services\": [{\"name\": \"web\", \"servers\": [{" + server
        + "}]}]}");
    Path out = dir.resolve("haproxy.cfg");
    Cli.Result r = Cli.run("render", "--inventory", inventory.toString(), "--output", out.toString());
    assertEquals(12, r.code(), r.err());
    assertEquals("", r.out());
    assertTrue(r.oneErrorLine(), r.err());
    assertTrue(r.err().startsWith("haproxy-sd: " + inventory + ": service 'web': " + message), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void hostileTenKilobyteValue_isRefused() throws IOException {
    Path inventory = dir.resolve("inventory.json");
    Files.writeString(inventory, "{\"version\": 1, \"services\": [{\"name\": \"web\", \"servers\": [{\"id\": \"i-1\","
        + " \"name\": \"" + "a".repeat(10_240) + "\", \"address\": \"10.0.0.1\", \"port\": 80}]}]}");
    Cli.Result r = Cli.run("render", "--inventory", inventory.toString());
    assertEquals(12, r.code());
    assertEquals("", r.out());
    assertTrue(r.err().contains("is 10240 characters long (at most 128)"), r.err());
    assertTrue(r.err().length() < 400, "the value is not echoed whole");
  }

  @ParameterizedTest(name = "tag {0}")
  @ValueSource(strings = {"api.example.com\\nlisten evil", "api.example.com#x", "api.example.com x",
      "\\\"api\\\"", "api;x", "${SECRET}"})
  void hostileTagReadByTheTemplate_isRefusedWithExit12(String hostile) throws IOException {
    Path inventory = dir.resolve("inventory.json");
    Files.writeString(inventory, "{\"version\": 1, \"services\": [{\"name\": \"web\", \"tags\": "
        + "{\"haproxy-sd:host\": \"" + hostile + "\"}, \"servers\": []}]}");
    Cli.Result r = Cli.run("render", "--inventory", inventory.toString());
    assertEquals(12, r.code(), r.err());
    assertEquals("", r.out());
    assertTrue(r.oneErrorLine(), r.err());
    assertTrue(r.err().startsWith("haproxy-sd: builtin:asg-http:"), r.err());
    assertTrue(r.err().contains("service 'web' tag 'haproxy-sd:host': unsafe value"), r.err());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      malformed       | {"version": 1, "services": [}     | 11 | inventory.json:1:29: malformed JSON
      wrong version   | {"version": 7, "services": []}    | 11 | inventory.json: $.version: unsupported inventory version 7
      unknown state   | {"version": 1, "services": [{"name": "w", "servers": [{"id": "i", "address": "10.0.0.1", "port": 1, "state": "on"}]}]} | 11 | inventory.json: $.services[0].servers[0].state: unknown state 'on'
      """)
  void badInventory_exits11WithOneLine(String name, String json, int code, String message) throws IOException {
    Path inventory = dir.resolve("inventory.json");
    Files.writeString(inventory, json);
    Cli.Result r = Cli.run("render", "--inventory", inventory.toString());
    assertEquals(code, r.code());
    assertTrue(r.oneErrorLine(), r.err());
    assertTrue(r.err().startsWith("haproxy-sd: " + dir + "/" + message), r.err());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      ?new       | <#assign x = "freemarker.template.utility.Execute"?new()>${x("id")}
      ?api       | ${services?api.size()}
      include    | <#include "/etc/passwd">
      undefined  | ${nope}
      """)
  void templateEscape_exits13WithFileLineColumnAndWritesNothing(String name, String template) throws IOException {
    Path ftl = dir.resolve("t.ftl");
    Files.writeString(ftl, template);
    Path out = dir.resolve("haproxy.cfg");
    Cli.Result r = Cli.run("render", "--inventory", EXAMPLE, "--template", ftl.toString(), "--output", out.toString());
    assertEquals(13, r.code(), r.err());
    assertTrue(r.oneErrorLine(), r.err());
    assertTrue(r.err().startsWith("haproxy-sd: " + ftl + ":1:"), r.err());
    assertFalse(Files.exists(out));
  }

  @Test
  void templateVar_reachesTheTemplate() {
    Cli.Result r = Cli.run("render", "--inventory", EXAMPLE, "--var", "bind=127.0.0.1:8080", "--var", "maxconn=100");
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("\n    bind 127.0.0.1:8080\n"), r.out());
    assertTrue(r.out().contains("\n    maxconn 100\n"), r.out());
  }

  @Test
  void noSource_isAUsageError() {
    Cli.Result r = Cli.run("render");
    assertEquals(2, r.code());
    assertEquals("haproxy-sd: No source: give --inventory FILE, --asg NAME, --asg-tag KEY=VALUE, --ec2-tag "
        + "KEY=VALUE|KEY, --ec2-filter NAME=V1,V2 or --cloudmap-namespace NAME (see 'haproxy-sd render --help')\n",
        r.err());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"apply", "status"})
  void badRuntimeApi_isAUsageErrorNamingTheOption(String command) throws IOException {
    Files.createDirectories(dir.resolve("state"));
    List<String> args = new java.util.ArrayList<>(List.of(command, "--runtime-api", "ipv4@127.0.0.1:0",
        "--state-dir", dir.resolve("state").toString()));
    if (command.equals("apply")) {
      args.addAll(List.of("--inventory", EXAMPLE, "--config-file", dir.resolve("haproxy.cfg").toString()));
    }
    Cli.Result r = Cli.run(args);
    assertEquals(2, r.code(), r.err());
    assertTrue(r.oneErrorLine(), r.err());
    assertTrue(r.err().startsWith("haproxy-sd: --runtime-api ipv4@127.0.0.1:0: expected ipv4@IP:PORT"), r.err());
    assertFalse(Files.exists(dir.resolve("haproxy.cfg")));
  }

  @Test
  void unknownOption_isAUsageError() {
    Cli.Result r = Cli.run("render", "--bogus");
    assertEquals(2, r.code());
    assertTrue(r.oneErrorLine(), r.err());
  }

  @Test
  void help_listsSubcommandsAndExitCodes() {
    Cli.Result r = Cli.run("--help");
    assertEquals(0, r.code());
    for (String s : new String[] {"discover", "render", "diff", "validate", "Exit codes:"}) {
      assertTrue(r.out().contains(s), s);
    }
    for (ExitCode c : ExitCode.values()) {
      assertTrue(r.out().contains(String.format("%3d   %s", c.code, c.description.substring(0, 20))), c.name());
    }
  }

  @Test
  void version_namesVersionAndCommit() {
    Cli.Result r = Cli.run("--version");
    assertEquals(0, r.code());
    assertTrue(r.out().matches("(?s)haproxy-sd \\S+ \\(commit \\S+\\)\n.*"), r.out());
  }

  @Test
  void version_printsWhatPicocliPrints() {
    Cli.Result answered = Cli.run("--version");
    // a root option set in the environment sends the run through picocli's model
    Cli.Result picocli = Cli.run("", Map.of("HAPROXY_SD_VERBOSE", "false"), List.of("--version"));
    assertEquals(0, picocli.code());
    assertEquals(picocli.out(), answered.out());
    assertEquals("", answered.err());
    assertEquals(answered.out(), Cli.run("-V").out());
    assertEquals(answered.out(), Cli.run("-V", "--version").out());
  }

  @Test
  void version_stillRefusesABrokenConfigFileOrRootSetting(@TempDir Path dir) throws IOException {
    Path broken = dir.resolve("haproxy-sd.conf");
    Files.writeString(broken, "no-such-key = 1\n");
    Cli.Result file = Cli.run("", Map.of("HAPROXY_SD_CONFIG", broken.toString()), List.of("--version"));
    assertEquals(2, file.code());
    assertTrue(file.err().startsWith("haproxy-sd: " + broken + ":1: unknown key 'no-such-key'"), file.err());
    Cli.Result missing = Cli.run("", Map.of("HAPROXY_SD_CONFIG", dir.resolve("absent").toString()),
        List.of("-V"));
    assertEquals(2, missing.code());
    assertTrue(missing.err().contains("config file not found"), missing.err());
    Cli.Result quiet = Cli.run("", Map.of("HAPROXY_SD_QUIET", "maybe"), List.of("--version"));
    assertEquals(2, quiet.code());
    assertTrue(quiet.err().contains("maybe"), quiet.err());
  }

  @Test
  void verbose_isAcceptedAfterTheSubcommandAndLogsOnStderrOnly() throws IOException {
    Cli.Result r = Cli.run("render", "-v", "--inventory", EXAMPLE);
    assertEquals(0, r.code());
    assertEquals(golden(), r.out());
    assertTrue(r.err().contains("haproxy-sd: debug: discovered 2 services, 5 servers"), r.err());
  }
}
