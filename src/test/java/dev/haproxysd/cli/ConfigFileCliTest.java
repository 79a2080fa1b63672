package dev.haproxysd.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.haproxysd.testing.Cli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** The config file through the real entry point: keys from the real command model, errors as one stderr line. */
class ConfigFileCliTest {
  private static final Path INVENTORY = Path.of("packaging/examples/inventory.json").toAbsolutePath();

  @TempDir Path dir;

  private record Result(int code, String out, String err) {}

  private Result run(String config, String... args) throws IOException {
    Path file = Files.writeString(dir.resolve("haproxy-sd.conf"), config);
    String[] all = new String[args.length + 1];
    all[0] = "--config=" + file;
    System.arraycopy(args, 0, all, 1, args.length);
    Cli.Result result = Cli.run(List.of(all));
    return new Result(result.code(), result.out(), result.err().replace(dir + "/", ""));
  }

  @Test
  void theFileSuppliesOptionsAndVariables() throws IOException {
    Result result = run("inventory = " + INVENTORY + "\nvar = bind=:8080,maxconn=100\n", "render");
    assertEquals(0, result.code(), result.err());
    assertTrue(result.out().contains("maxconn 100\n"), result.out());
    assertTrue(result.out().contains(":8080"), result.out());
  }

  @Test
  void theCommandLineWins() throws IOException {
    Result result = run("inventory = /nonexistent.json\ndiscover.output = table\n",
        "discover", "--inventory", INVENTORY.toString(), "-o", "json");
    assertEquals(0, result.code(), result.err());
    assertTrue(result.out().startsWith("{"), result.out());
  }

  @Test
  void aRunThatBuildsOnlyItsOwnSubcommandStillKnowsEveryKey() throws IOException {
    Result result = run("verbose = true\napply.max-removal = 20%\nrender.inventory = " + INVENTORY + "\n", "render");
    assertEquals(0, result.code(), result.err());
    assertTrue(result.err().contains("debug: "), result.err());

    Result ambiguous = run("output = x.cfg\n", "render", "--inventory", INVENTORY.toString());
    assertEquals(ExitCode.USAGE.code, ambiguous.code());
    assertTrue(ambiguous.err().contains("ambiguous key 'output'"), ambiguous.err());
  }

  @Test
  void anUnknownKeyIsAUsageErrorNamingFileLineAndKey() throws IOException {
    Result result = run("# defaults\ninventroy = x.json\n", "render");
    assertEquals(ExitCode.USAGE.code, result.code());
    assertEquals("", result.out());
    assertTrue(result.err().startsWith("haproxy-sd: haproxy-sd.conf:2: unknown key 'inventroy'"), result.err());
    assertEquals(1, result.err().lines().count(), result.err());
  }

  @Test
  void aBadValueIsAUsageErrorNamingFileLineAndKey() throws IOException {
    Result result = run("inventory = " + INVENTORY + "\ndiscover.output = yaml\n", "discover");
    assertEquals(ExitCode.USAGE.code, result.code());
    assertTrue(result.err().startsWith("haproxy-sd: haproxy-sd.conf:2: discover.output: bad value: expected one of "
        + "[table, json] (case-insensitive) but was 'yaml'"), result.err());
    assertEquals(1, result.err().lines().count(), result.err());
  }

  @Test
  void aValueACommandRejectsAfterParsingIsTracedToItsLineToo() throws IOException {
    Result result = run("\nreload = bogus\n", "apply", "--inventory", INVENTORY.toString());
    assertEquals(ExitCode.USAGE.code, result.code());
    assertTrue(result.err().startsWith("haproxy-sd: haproxy-sd.conf:2: reload: --reload bogus: expected "),
        result.err());
  }

  @Test
  void everyListOptionCanBeWrittenAsOneConfigLine() {
    // A config key holds one line; without a separator "asg = a,b" would be one value named "a,b".
    for (CommandSpec command : GenerateDocs.commands(GenerateDocs.model())) {
      for (OptionSpec option : command.options()) {
        if (option.isMultiValue() && option.arity().max > 0) {
          assertTrue(!option.splitRegex().isEmpty(), command.qualifiedName() + " " + option.longestName()
              + " takes several values: declare split = \",\" so the config file can list them");
        }
      }
    }
  }

  @Test
  void theShippedCommentedFileChangesNothing() throws IOException {
    Result result = run(Files.readString(Path.of(GenerateDocs.COMMITTED_CONF)), "render", "--inventory",
        INVENTORY.toString());
    assertEquals(0, result.code(), result.err());
    assertEquals("", result.err());
  }
}
