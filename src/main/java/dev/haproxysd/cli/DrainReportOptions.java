package dev.haproxysd.cli;

import dev.haproxysd.aws.AwsSessions;
import dev.haproxysd.aws.AwsSettings;
import dev.haproxysd.fleet.DrainReport;
import dev.haproxysd.fleet.DrainReports;
import dev.haproxysd.fleet.S3Prefix;
import dev.haproxysd.model.Log;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** apply's drain reports: the balancers of a fleet agree before any of them completes a lifecycle action. */
final class DrainReportOptions {
  private static final Path KERNEL_HOSTNAME = Path.of("/proc/sys/kernel/hostname");

  @Option(names = "--drain-reports", paramLabel = "s3://BUCKET/PREFIX/",
      description = "With --lifecycle-hook and several balancers: each writes its drain report to PREFIX/NAME.json "
          + "(when it changed, after a third of --balancer-liveness, and every run while an instance waits), and a "
          + "lifecycle action is completed only once every live balancer reports the instance drained. Needs "
          + "s3:PutObject and s3:GetObject on PREFIX*, s3:ListBucket for the prefix.")
  String drainReports;

  @Option(names = "--balancer-id", paramLabel = "NAME",
      description = "This balancer's name in --drain-reports (default: the host name): 1-63 letters, digits, dots, "
          + "hyphens and underscores, unique in the fleet.")
  String balancerId;

  @Option(names = "--balancer-liveness", paramLabel = "DURATION", defaultValue = "10m",
      converter = Durations.Positive.class,
      description = "A balancer whose drain report is older than DURATION is gone and no longer holds up a "
          + "completion (default: ${DEFAULT-VALUE}); longer than the run interval plus --jitter.")
  Duration liveness;

  /** The drain reports (nothing is built until the first request), or null without {@code --drain-reports}. */
  DrainReports open(CommandSpec spec, boolean lifecycleHooks, AwsSessions sessions, AwsSettings aws, Log log) {
    if (drainReports == null) {
      return null;
    }
    if (!lifecycleHooks) {
      throw new ParameterException(spec.commandLine(), "--drain-reports needs --lifecycle-hook");
    }
    S3Prefix at;
    try {
      at = S3Prefix.parse(drainReports);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--drain-reports " + e.getMessage());
    }
    String self = balancerId != null ? balancerId : hostName();
    try {
      DrainReport.requireBalancerId(self);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), (balancerId != null ? "--balancer-id: " : "the host name as "
          + "--balancer-id: ") + e.getMessage() + (balancerId != null ? "" : "; give --balancer-id NAME"));
    }
    return DrainReports.open(at, self, liveness, sessions, aws, log);
  }

  /** The kernel's host name (what {@code hostname} prints), without a DNS lookup where Linux tells it. */
  private static String hostName() {
    try {
      return Files.readString(KERNEL_HOSTNAME, StandardCharsets.US_ASCII).strip();
    } catch (IOException e) {
      try {
        return InetAddress.getLocalHost().getHostName();
      } catch (IOException again) {
        return "";
      }
    }
  }
}
