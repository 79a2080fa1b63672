package dev.haproxysd.cli;

import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.discovery.Source;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Clock;
import dev.haproxysd.pipeline.Pipeline;
import dev.haproxysd.pipeline.RunObserver;
import dev.haproxysd.render.LazyTemplateEngine;
import dev.haproxysd.render.TemplateRef;
import dev.haproxysd.state.StateStore;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The root command: global options, and what the subcommands share (writers, log, pipeline). {@link CommandTree}
 * adds the subcommands.
 */
@Command(
    name = "haproxy-sd",
    scope = ScopeType.INHERIT,
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    usageHelpAutoWidth = true,
    header = "Keep HAProxy in sync with AWS Auto Scaling groups and Cloud Map.",
    description = {
      "Discovers servers, renders haproxy.cfg from a FreeMarker template, shows what would change, checks it with "
          + "haproxy -c. Each subcommand runs once and exits; all of them are stages of one pipeline:",
      "discover -> render -> diff -> validate -> apply (install, reload, verify, roll back).",
      "The inventory comes from AWS Auto Scaling groups (--asg, --asg-tag), EC2 instances by tag or filter "
          + "(--ec2-tag, --ec2-filter), Cloud Map namespaces (--cloudmap-namespace), a JSON file (--inventory) as "
          + "written by 'discover -o json', or the S3 object one node of a fleet published with 'discover --publish' "
          + "(--inventory s3://BUCKET/KEY); several sources are merged."
    })
final class HaproxySdCommand implements Runnable {
  @Spec CommandSpec spec;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "Show progress and timings on stderr, and stack traces for internal errors.")
  boolean verbose;

  @Option(names = ConfigDefaults.OPTION, paramLabel = "FILE", scope = ScopeType.INHERIT,
      description = "Read option defaults from FILE instead of " + ConfigDefaults.SYSTEM_FILE_NAME
          + " (also: HAPROXY_SD_CONFIG=FILE). Precedence: built-in < file < environment < command line.")
  Path config;

  @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
      description = "Print only warnings and errors on stderr.")
  boolean quiet;

  final InputStream in;
  final PrintWriter out;
  final PrintWriter err;
  /** Told when {@code apply} reaches each phase: nothing in production, a pause in the fault tests. */
  final RunObserver phases;
  /** The time of every run: the system clock in production, a fake one in tests of time-dependent behaviour. */
  final Clock clock;

  /** Told what {@code apply --watch} does: nothing in production; tests stop it and count what it leaves. */
  WatchObserver watching = WatchObserver.NONE;
  /**
   * The same command line parsed again over the config file as it reads now, for {@code apply --watch}'s SIGHUP
   * (set by {@link Main}); throws the {@code ParameterException} a broken file or value gives.
   */
  Supplier<ApplyCommand> reread = () -> {
    throw new IllegalStateException("no command line to read again");
  };

  HaproxySdCommand(InputStream in, PrintWriter out, PrintWriter err, RunObserver phases, Clock clock) {
    this.in = in;
    this.out = out;
    this.err = err;
    this.phases = phases;
    this.clock = clock;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand");
  }

  Log log() {
    return new CliLog(err, verbose, quiet);
  }

  /**
   * The source the options select; {@code apply} (not a dry run) passes its state directory as {@code cache}, for
   * an S3 inventory's last download, others null.
   */
  Source source(SourceOptions source, AwsOptions aws, StateStore cache, AwsSessions sessions) {
    return source.source(in, log(), clock, aws, cache, sessions);
  }

  Pipeline pipeline(SourceOptions source, AwsOptions aws, TemplateOptions template) {
    Log log = log();
    Source discovery = source(source, aws, null, AwsSessions.perRun());
    // Parse the template before discovery: a broken template should not cost API calls.
    LazyTemplateEngine engine = new LazyTemplateEngine(TemplateRef.of(template.template), log).parse();
    return new Pipeline(discovery, engine, null, template.vars(), template.slots, log, clock);
  }

  /**
   * The pipeline of {@code apply} from {@code discovery}: as {@link #pipeline}, but the template is parsed before
   * discovery only when its files differ from those the last apply to {@code configFile} rendered with; an
   * unchanged run may never parse it. {@code engine} is the template's (a watch keeps it across its runs).
   */
  Pipeline applyPipeline(Source discovery, TemplateOptions template, LazyTemplateEngine engine, StateStore state,
      Path configFile) {
    return new Pipeline(discovery, engine, build(), template.vars(), template.slots, log(), clock)
        .parseTemplateUnlessUnchanged(state.recordedRenderKey(configFile));
  }

  /**
   * What a render depends on besides its inputs: this haproxy-sd's version and commit, and the Java runtime's. Null
   * for a build that does not know its commit: two such builds could render differently under the same name.
   */
  private static String build() {
    try {
      String[] version = VersionProvider.lines();
      return version[0].contains("(commit unknown)") ? null : String.join("; ", version);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
