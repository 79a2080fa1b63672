package dev.haproxysd.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Build-time generator of everything derived from the command model: bash and zsh completion, the AsciiDoc man
 * page sources, and the commented config file. The build runs it into {@code target/generated-docs}, renders the
 * man pages with asciidoctor, and {@code GeneratedFilesTest} compares the result with the committed copies;
 * {@code mvn -B -Pregen process-test-classes} writes it over them.
 *
 * <p>Usage: {@code GenerateDocs PROJECT_DIR OUTPUT_DIR [regen]}
 */
public final class GenerateDocs {
  static final String NAME = "haproxy-sd";
  static final String CONF = NAME + ".conf";
  /** Committed outputs, relative to the project directory. */
  static final String COMPLETIONS_DIR = "completions";
  static final String MAN_DIR = "man";
  static final String HAND_WRITTEN_DIR = "man/src";
  static final String COMMITTED_CONF = "packaging/" + CONF;
  /** The config keys of the whole tree, for runs that build only part of it ({@link CommandTree}). */
  static final String COMMITTED_KEYS = "src/main/resources/dev/haproxysd/cli/" + CommandTree.KEYS_RESOURCE;
  static final String REGEN_COMMAND = "mvn -B -Pregen process-test-classes";
  /** The asciidoctor attribute the hand-written pages use to include the generated sections. */
  static final String INCLUDE_ATTRIBUTE = "generated";
  /** Sections every page must write by hand (the rest is generated from the model). */
  static final List<String> HAND_WRITTEN_SECTIONS = List.of("Files", "Environment", "Examples", "See also");
  static final List<String> GENERATED_SECTIONS =
      List.of("header", "name", "synopsis", "description", "options", "arguments", "commands", "exit-status");

  private GenerateDocs() {}

  public static void main(String[] args) throws IOException {
    Path project = Path.of(args[0]);
    Path out = Path.of(args[1]);
    boolean regen = args.length > 2 && args[2].equals("regen");
    CommandLine cmd = model();
    writeCompletions(cmd, out.resolve("completions"));
    writeManSources(cmd, out.resolve("man-adoc"), project.resolve(HAND_WRITTEN_DIR), out.resolve("man-src"));
    ConfigKeys keys = ConfigKeys.of(cmd.getCommandSpec());
    Files.writeString(out.resolve(CONF), keys.commentedFile(), StandardCharsets.UTF_8);
    Files.writeString(out.resolve(CommandTree.KEYS_RESOURCE), "# The config keys of every " + NAME + " option, for "
        + "runs that build only some subcommands.\n# Generated from the command model by GenerateDocs ("
        + REGEN_COMMAND + "); do not edit.\n" + keys.table(), StandardCharsets.UTF_8);
    if (regen) {
      copyInto(project, out, cmd);
    }
  }

  /**
   * Regeneration: completions and config over the committed ones, a stub page for each command that has none,
   * and no rendered page left over from a command that is gone (asciidoctor renders into man/ next).
   */
  private static void copyInto(Path project, Path out, CommandLine cmd) throws IOException {
    for (String completion : List.of(NAME + ".bash", "_" + NAME)) {
      Files.copy(out.resolve("completions").resolve(completion), project.resolve("completions").resolve(completion),
          StandardCopyOption.REPLACE_EXISTING);
    }
    Files.copy(out.resolve(CONF), project.resolve(COMMITTED_CONF), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(out.resolve(CommandTree.KEYS_RESOURCE), project.resolve(COMMITTED_KEYS),
        StandardCopyOption.REPLACE_EXISTING);
    for (CommandSpec spec : commands(cmd)) {
      Path page = project.resolve(HAND_WRITTEN_DIR).resolve(pageName(spec) + ".adoc");
      if (!Files.exists(page)) {
        Files.copy(out.resolve("man-src").resolve(page.getFileName()), page);
      }
    }
    try (Stream<Path> rendered = Files.list(project.resolve(MAN_DIR))) {
      for (Path page : (Iterable<Path>) rendered::iterator) {
        if (page.toString().endsWith(".1")) {
          Files.delete(page);
        }
      }
    }
  }

  /** The command tree exactly as {@link Main} builds it, with a version string that does not change per commit. */
  static CommandLine model() {
    CommandLine cmd = CommandTree.full(new HaproxySdCommand(null, null, null, dev.haproxysd.pipeline.RunObserver.NONE, dev.haproxysd.model.Clock.SYSTEM));
    Main.listExitCodes(cmd);
    String version = releaseVersion();
    for (CommandSpec spec : commands(cmd)) {
      spec.versionProvider(() -> new String[] {version});
      spec.usageMessage().exitCodeListHeading("Exit status%n"); // the man(7) section name; --help says "Exit codes:"
    }
    return cmd;
  }

  /** "haproxy-sd 0.1.0": the first version line without the commit. */
  static String releaseVersion() {
    try {
      return new VersionProvider().getVersion()[0].replaceFirst(" \\(commit .*\\)$", "");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The root and every subcommand, depth first, each once. */
  static List<CommandSpec> commands(CommandLine root) {
    List<CommandSpec> all = new ArrayList<>();
    Set<CommandSpec> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    collect(root.getCommandSpec(), all, seen);
    return all;
  }

  private static void collect(CommandSpec spec, List<CommandSpec> all, Set<CommandSpec> seen) {
    if (!seen.add(spec) || spec.usageMessage().hidden()) {
      return;
    }
    all.add(spec);
    spec.subcommands().values().forEach(sub -> collect(sub.getCommandSpec(), all, seen));
  }

  /** The man page name of a command: {@code haproxy-sd-render}. */
  static String pageName(CommandSpec spec) {
    return spec.qualifiedName("-");
  }

  static void writeCompletions(CommandLine cmd, Path dir) throws IOException {
    Files.createDirectories(dir);
    // bash-completion sources the file: a #! line would only mislead (and lintian flags it).
    String bash = completeFileNames(cmd, AutoComplete.bash(NAME, cmd).replaceFirst("^#!.*\n", ""));
    Files.writeString(dir.resolve(NAME + ".bash"), bash, StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("_" + NAME), zsh(bash), StandardCharsets.UTF_8);
  }

  /**
   * picocli completes file names only for options of type File or Path; an option whose value is a file or
   * something else ({@code --inventory FILE|s3://BUCKET/KEY}) says so with a paramLabel starting with FILE, and gets
   * the same file-name completion.
   */
  private static String completeFileNames(CommandLine cmd, String bash) {
    Set<String> names = new java.util.TreeSet<>();
    for (CommandSpec spec : commands(cmd)) {
      spec.options().stream().filter(o -> o.paramLabel().startsWith("FILE|")).forEach(o -> names.addAll(
          List.of(o.names())));
    }
    for (String name : names) {
      bash = bash.replace("    '" + name + "')\n      return\n      ;;\n", "    '" + name + "')\n"
          + "      local IFS=$'\\n'\n"
          + "      type compopt &>/dev/null && compopt -o filenames\n"
          + "      COMPREPLY=( $( compgen -f -- \"${curr_word}\" ) ) # files\n"
          + "      return $?\n"
          + "      ;;\n");
    }
    return bash;
  }

  /**
   * A zsh completion function (autoloaded from vendor-completions via {@code #compdef}) that runs the same
   * generated completion through zsh's bashcompinit: one source of truth for both shells.
   */
  private static String zsh(String bash) {
    return "#compdef " + NAME + "\n"
        + "# zsh completion for " + NAME + ": the generated bash completion below, run through bashcompinit.\n"
        + "# Generated from the command model; do not edit.\n"
        + "autoload -U +X bashcompinit && bashcompinit\n"
        + "# bash's compopt only tunes how bash lists matches: zsh has none, and the alias the script sets\n"
        + "# cannot reach functions parsed before it.\n"
        + "(( $+functions[compopt] )) || compopt() { : }\n"
        + bash
        + "unalias compopt 2>/dev/null\n"
        + "# Complete the word that caused this file to load; later completions call the function directly.\n"
        + "_bash_complete -F _complete_" + NAME + " -o default\n";
  }

  static void writeManSources(CommandLine cmd, Path generated, Path handWritten, Path sources) throws IOException {
    Files.createDirectories(generated);
    Files.createDirectories(sources);
    try (Stream<Path> old = Files.list(sources)) {
      for (Path p : (Iterable<Path>) old::iterator) {
        Files.delete(p);
      }
    }
    int rc = ManPageGenerator.generateManPage(generated.toFile(), null, new boolean[0], false, cmd.getCommandSpec());
    if (rc != 0) {
      throw new IllegalStateException("ManPageGenerator failed: exit " + rc);
    }
    try (Stream<Path> partials = Files.list(handWritten)) {
      for (Path partial : (Iterable<Path>) partials::iterator) {
        if (partial.getFileName().toString().startsWith("_")) {
          Files.copy(partial, sources.resolve(partial.getFileName()));
        }
      }
    }
    for (CommandSpec spec : commands(cmd)) {
      String page = pageName(spec) + ".adoc";
      Path mine = handWritten.resolve(page);
      if (Files.exists(mine)) {
        Files.copy(mine, sources.resolve(page));
      } else {
        Files.writeString(sources.resolve(page), stub(spec), StandardCharsets.UTF_8);
      }
    }
  }

  /** The page for a command that has no hand-written page yet: the generated sections and TODOs for the rest. */
  static String stub(CommandSpec spec) {
    StringWriter text = new StringWriter();
    PrintWriter pw = new PrintWriter(text);
    String page = pageName(spec) + ".adoc";
    pw.printf("// %s(1): hand-written around the sections generated from the command model.%n", pageName(spec));
    pw.printf("// Regenerate with: %s%n", REGEN_COMMAND);
    for (String section : GENERATED_SECTIONS) {
      pw.printf("%ninclude::{%s}/%s[tag=picocli-generated-man-section-%s]%n", INCLUDE_ATTRIBUTE, page, section);
    }
    for (String section : HAND_WRITTEN_SECTIONS) {
      pw.printf("%n== %s%n%nTODO: write this section.%n", section);
    }
    pw.printf("%ninclude::{%s}/%s[tag=picocli-generated-man-section-footer]%n", INCLUDE_ATTRIBUTE, page);
    pw.flush();
    return text.toString();
  }
}
