package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class ConfigDefaultsTest {
  @TempDir Path dir;

  /** What one run of the tool saw: its parsed commands, or the one error line and exit code. */
  private record Run(Tool tool, Tool.Show show, String error, int code) {}

  private Run run(String fileText, Map<String, String> env, String... args) throws IOException {
    Path file = dir.resolve("tool.conf");
    Files.writeString(file, fileText, StandardCharsets.UTF_8);
    List<String> all = new ArrayList<>(List.of(args));
    all.add(0, "--config=" + file);
    return runWith(env, all.toArray(String[]::new));
  }

  private Run runWith(Map<String, String> env, String... args) {
    Tool tool = new Tool();
    CommandLine cmd = new CommandLine(tool);
    StringWriter err = new StringWriter();
    cmd.setErr(new PrintWriter(err));
    cmd.setParameterExceptionHandler((e, a) -> {
      err.write(e.getMessage());
      return 2;
    });
    ConfigDefaults.install(cmd, args, env);
    int code = cmd.execute(args);
    Tool.Show show = cmd.getSubcommands().get("show").getCommand();
    return new Run(tool, show, err.toString().replace(dir + "/", ""), code);
  }

  static Stream<Arguments> precedence() {
    return Stream.of(
        Arguments.of("built-in", "", Map.of(), List.of(), "builtin:x"),
        Arguments.of("file beats built-in", "template = /f.ftl", Map.of(), List.of(), "/f.ftl"),
        Arguments.of("scoped key beats unscoped", "template = /f.ftl\nshow.template = /s.ftl", Map.of(), List.of(),
            "/s.ftl"),
        Arguments.of("environment beats file", "show.template = /s.ftl", Map.of("HAPROXY_SD_TEMPLATE", "/e.ftl"),
            List.of(), "/e.ftl"),
        Arguments.of("empty variable is unset", "template = /f.ftl", Map.of("HAPROXY_SD_TEMPLATE", ""), List.of(),
            "/f.ftl"),
        Arguments.of("command line beats all", "template = /f.ftl", Map.of("HAPROXY_SD_TEMPLATE", "/e.ftl"),
            List.of("--template", "/c.ftl"), "/c.ftl"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void precedence(String name, String file, Map<String, String> env, List<String> flags, String expected)
      throws IOException {
    List<String> args = new ArrayList<>(List.of("show"));
    args.addAll(flags);
    Run run = run(file, env, args.toArray(String[]::new));
    assertEquals("", run.error());
    assertEquals(expected, run.show().template);
  }

  @Test
  void typedValues_listsAndInheritedFlags() throws IOException {
    Run run = run("verbose = true\nshow.output = json\nretries = 5\nvar = a=1,b=2\n", Map.of(), "show");
    assertEquals("", run.error());
    assertEquals(true, run.tool().verbose);
    assertEquals(Tool.Format.json, run.show().output);
    assertEquals(5, run.show().retries);
    assertEquals(Map.of("a", "1", "b", "2"), run.show().vars);
  }

  @Test
  void aListOnTheCommandLineReplacesTheFileList() throws IOException {
    Run run = run("var = a=1,b=2\n", Map.of(), "show", "--var", "c=3");
    assertEquals(Map.of("c", "3"), run.show().vars);
  }

  @Test
  void aBadValueOverriddenOnTheCommandLineIsNotUsed() throws IOException {
    Run run = run("retries = many\n", Map.of(), "show", "--retries", "2");
    assertEquals(0, run.code());
    assertEquals(2, run.show().retries);
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("unknown key", "# c\n\nretry = 3\n", Map.of(),
            "tool.conf:3: unknown key 'retry' (the keys are the long option names, see the shipped "
                + "/etc/haproxy-sd/haproxy-sd.conf)"),
        Arguments.of("ambiguous key", "output = json\n", Map.of(),
            "tool.conf:1: ambiguous key 'output': it means different things in different commands, use "
                + "show.output or save.output"),
        Arguments.of("no equals sign", "retries 3\n", Map.of(), "tool.conf:1: expected KEY = VALUE but found "
            + "'retries 3'"),
        Arguments.of("empty value", "retries =\n", Map.of(),
            "tool.conf:1: retries: empty value (comment the line out for the built-in default)"),
        Arguments.of("set twice", "retries = 1\nretries = 2\n", Map.of(),
            "tool.conf:2: retries: set twice (first at tool.conf:1)"),
        Arguments.of("bad number", "\nshow.retries = many\n", Map.of(),
            "tool.conf:2: show.retries: bad value: 'many' is not an int"),
        Arguments.of("bad enum value", "show.output = xml\n", Map.of(),
            "tool.conf:1: show.output: bad value: expected one of [table, json] (case-sensitive) but was 'xml'"),
        Arguments.of("bad list element", "var = a=1,b\n", Map.of(),
            "tool.conf:1: var: bad value: Value for option option '--var' (<String=String>) should be in "
                + "KEY=VALUE[,KEY=VALUE]... format but was b"),
        Arguments.of("bad environment value", "", Map.of("HAPROXY_SD_SHOW_RETRIES", "x"),
            "environment variable HAPROXY_SD_SHOW_RETRIES: show.retries: bad value: 'x' is not an int"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource
  void errors(String name, String file, Map<String, String> env, String message) throws IOException {
    Run run = run(file, env, "show");
    assertEquals(message, run.error());
    assertEquals(2, run.code());
  }

  @Test
  void theFileVariablePicksTheFile_andTheOptionBeatsIt() throws IOException {
    Path a = Files.writeString(dir.resolve("a.conf"), "template = /a.ftl\n");
    Path b = Files.writeString(dir.resolve("b.conf"), "template = /b.ftl\n");
    assertEquals("/a.ftl", runWith(Map.of("HAPROXY_SD_CONFIG", a.toString()), "show").show().template);
    assertEquals("/b.ftl",
        runWith(Map.of("HAPROXY_SD_CONFIG", a.toString()), "show", "--config", b.toString()).show().template);
  }

  @Test
  void aMissingFileThatWasAskedForIsAnError() {
    Run run = runWith(Map.of(), "--config", dir.resolve("none.conf").toString(), "show");
    assertEquals("none.conf: config file not found", run.error());
    assertEquals(2, run.code());
  }

  @Test
  void fileArgument_lastOneCounts_andNothingAfterTheEndOfOptions() {
    assertEquals("b", ConfigDefaults.fileArgument(new String[] {"--config", "a", "show", "--config=b"}));
    assertEquals(null, ConfigDefaults.fileArgument(new String[] {"show", "--", "--config", "a"}));
    assertEquals(null, ConfigDefaults.fileArgument(new String[] {"show", "--config"}));
  }
}
