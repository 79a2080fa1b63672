package dev.haproxysd.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The rows of the fault matrix: what {@link FaultMatrixTest} injects, and what it proves happens. The man page's
 * "What happens when …" table is generated from this list ({@link #markdownTable}) and kept in sync by {@link
 * FaultMatrixDocumentedTest}; the matrix asserts every row's exit code against {@link #exitCode}, so the README says
 * what the suite observed.
 */
enum FaultRow {
  THROTTLED_FOR_EVER("1", "Every AWS call is throttled until the SDK's retries are exhausted",
      "The run fails after 3 attempts per call: one line naming the API and 'throttled'; nothing written or "
          + "reloaded", ExitCode.DISCOVERY),
  THROTTLED_TWICE("2", "Throttled twice, then answered (the inventory changed)",
      "The SDK retries; the change is installed with exactly one reload", ExitCode.OK),
  ASG_PAGE_2_OF_3("3", "HTTP 500 on page 2 of 3 of DescribeAutoScalingGroups",
      "Fails closed: no partial inventory is used; one line naming the API; nothing written", ExitCode.DISCOVERY),
  EC2_PAGE_2("4", "HTTP 500 on page 2 of DescribeInstances",
      "Fails closed like row 3", ExitCode.DISCOVERY),
  ACCESS_DENIED("5", "Access denied on DescribeInstances",
      "One line naming the IAM action to allow (ec2:DescribeInstances); nothing written", ExitCode.DISCOVERY),
  API_HANGS("6", "The API accepts the connection and never answers",
      "The call ends at --aws-attempt-timeout / --aws-timeout: one line 'timed out'; nothing written",
      ExitCode.DISCOVERY),
  MALFORMED_REPLY("7", "Malformed XML (Auto Scaling) / JSON (Cloud Map) reply",
      "One line 'malformed reply'; nothing written", ExitCode.DISCOVERY),
  GROUP_GONE("8", "A group named with --asg no longer exists",
      "Fails closed, naming the group (a typo or a deleted group must not empty a backend)", ExitCode.DISCOVERY),
  SCALED_TO_ZERO("9a", "A group scaled to 0",
      "The empty guard refuses, naming the service and what would go; --allow-empty or --force applies it",
      ExitCode.GUARD_REFUSED),
  SHRINK_80("9b", "4 of a group's 5 instances vanish while its DesiredCapacity stays 5",
      "The shrink guard refuses on every run: missing while the group still wants them (more than --max-removal "
          + "50%); nothing written", ExitCode.GUARD_REFUSED),
  SHRINK_FORCED("9c", "The same shrink with --force",
      "Applied: one reload, the remaining servers serve", ExitCode.OK),
  SCALED_IN("9d", "The group scales in from 5 to 1 (DesiredCapacity 1)",
      "Applied with the default options: the group explains the removals", ExitCode.OK),
  CLOUDMAP_ALL_UNHEALTHY("10", "A Cloud Map service whose instances are all unhealthy",
      "The empty guard refuses (--health healthy leaves no server); haproxy keeps the last servers",
      ExitCode.GUARD_REFUSED),
  HOSTILE_NEWLINE("11a", "Tag value with a newline and a directive", Shared.HOSTILE_OUTCOME.text,
      ExitCode.UNSAFE_VALUE),
  HOSTILE_HASH("11b", "Tag value with `#`", Shared.HOSTILE_OUTCOME.text, ExitCode.UNSAFE_VALUE),
  HOSTILE_SPACE("11c", "Tag value with a space", Shared.HOSTILE_OUTCOME.text, ExitCode.UNSAFE_VALUE),
  HOSTILE_QUOTES("11d", "Tag value with quotes", Shared.HOSTILE_OUTCOME.text, ExitCode.UNSAFE_VALUE),
  HOSTILE_SEMICOLON("11e", "Tag value with `;`", Shared.HOSTILE_OUTCOME.text, ExitCode.UNSAFE_VALUE),
  HOSTILE_ENV("11f", "Tag value `${ENV}`", Shared.HOSTILE_OUTCOME.text, ExitCode.UNSAFE_VALUE),
  HOSTILE_64K("11g", "A 64 kB tag value",
      "Refused like 11a; the message shows the first 40 characters and the length, not 64 kB",
      ExitCode.UNSAFE_VALUE),
  HOSTILE_NUL("11h", "Cloud Map attribute with a NUL character", Shared.HOSTILE_OUTCOME.text, ExitCode.UNSAFE_VALUE),
  HOSTILE_SERVICE_NAME("11i", "Hostile service-name tag (`HAProxy:Service:Name`)",
      "Refused before rendering, naming the group and the tag", ExitCode.UNSAFE_VALUE),
  HOSTILE_INSTANCE_PORT("11j", "Hostile instance port tag on one instance",
      "That server is left out with one warning; the rest is applied", ExitCode.OK),
  TEMPLATE_SYNTAX("12a", "Template syntax error", Shared.TEMPLATE_OUTCOME.text, ExitCode.TEMPLATE),
  TEMPLATE_UNDEFINED("12b", "Template reads an undefined value", Shared.TEMPLATE_OUTCOME.text, ExitCode.TEMPLATE),
  TEMPLATE_NEW("12c", "Template uses `?new`", Shared.TEMPLATE_OUTCOME.text, ExitCode.TEMPLATE),
  TEMPLATE_API("12d", "Template uses `?api`", Shared.TEMPLATE_OUTCOME.text, ExitCode.TEMPLATE),
  TEMPLATE_INCLUDE_OUTSIDE("12e", "Template includes a file outside its directory", Shared.TEMPLATE_OUTCOME.text,
      ExitCode.TEMPLATE),
  REJECTED_BY_CHECK("13a", "The rendered config is rejected by `haproxy -c`",
      "Never installed: one line plus haproxy's [ALERT] lines; the candidate is deleted; haproxy untouched",
      ExitCode.REJECTED),
  REJECTED_ECHOING_SECRET("13b", "`haproxy -c` rejects a line that expands a secret from the environment",
      "As 13a, and the secret's value is shown as ${NAME} in haproxy's [ALERT] lines", ExitCode.REJECTED),
  RELOAD_FAILS("14", "The reload fails (a bind on a busy port)",
      "Rolled back: the previous file is restored and reloaded; the old config keeps serving",
      ExitCode.RELOAD_FAILED),
  QUARANTINED("14b", "The same config on the next 9 runs (the port stays busy)",
      "Quarantined: neither installed nor reloaded; one line 'still the config that failed at TIME: REASON'; "
          + "2 reloads in 10 runs", ExitCode.QUARANTINED),
  HAPROXY_STOPPED("15a", "haproxy is not running",
      "Nothing installed (the master socket does not answer); after haproxy starts, the next run applies",
      ExitCode.RELOAD_FAILED),
  MASTER_SOCKET_MISSING("15b", "The master socket is missing",
      "Nothing installed; one line naming the socket and 'show proc'", ExitCode.RELOAD_FAILED),
  HAPROXY_BINARY_MISSING("16", "The haproxy binary is missing (--haproxy-bin)",
      "Nothing installed: one line naming the binary", ExitCode.HAPROXY_MISSING),
  KILLED_BEFORE_WRITE("17a", "`kill -9` of apply before the write", Shared.KILLED_OUTCOME.text, null),
  KILLED_AFTER_TEMP_WRITE("17b", "`kill -9` after the candidate was written and checked",
      "The config is the old one, complete; the next run removes the leftover candidate and applies", null),
  KILLED_AFTER_RENAME("17c", "`kill -9` after the rename, before the reload",
      "The new file is in place, complete; the next run sees it was never recorded as applied and reloads", null),
  KILLED_DURING_RELOAD("17d", "`kill -9` during the reload",
      "haproxy finishes the reload on its own; the next run reloads once more and records it", null),
  TARGET_READ_ONLY("18a", "The config's directory is read-only",
      "One line naming the directory and 'Read-only' / 'permission denied'; nothing changed", ExitCode.IO),
  DISK_FULL("18b", "The disk is full while writing the candidate",
      "One line naming the candidate file and 'No space left on device'; the old file is untouched",
      ExitCode.IO),
  STATE_TRUNCATED("19a", "state.json truncated", Shared.STATE_OUTCOME.text, ExitCode.OK),
  STATE_CORRUPT("19b", "state.json corrupt (not JSON)", Shared.STATE_OUTCOME.text, ExitCode.OK),
  STATE_NEWER("19c", "state.json from a newer version", Shared.STATE_OUTCOME.text, ExitCode.OK),
  CONCURRENT("20", "Two applies at the same moment",
      "The second exits at once (see --lock-timeout) with one line naming the lock; the first finishes",
      ExitCode.LOCKED),
  HAND_EDITED("21", "The config was edited by hand since the last apply",
      "A warning says so and shows the hand edits being overwritten (credential lines masked) in the log; "
          + "the edited file is kept as last-known-good and backup", ExitCode.OK),
  SLOW_AWS("22", "AWS answers slower than --aws-attempt-timeout (with --jitter)",
      "Jitter and timeouts bound the run: one line 'timed out'; deadlines use the monotonic clock, so a "
          + "wall-clock jump does not stretch them", ExitCode.DISCOVERY);

  /** Shared outcome texts. */
  private enum Shared {
    HOSTILE_OUTCOME("Refused when the template reads it: one line naming template line, service, tag and the "
        + "character; nothing written"),
    TEMPLATE_OUTCOME("One line file:line:col: message; nothing written (a syntax error stops before any AWS call)"),
    KILLED_OUTCOME("The lock dies with the process; the config is the old one; the next run applies"),
    STATE_OUTCOME("One warning; apply compares with the installed file, reloads nothing when it matches and "
        + "rewrites the state");

    final String text;

    Shared(String text) {
      this.text = text;
    }
  }

  final String id;
  final String fault;
  final String outcome;
  /** The exit code of the faulty run; null when the run is killed. */
  final ExitCode exitCode;

  FaultRow(String id, String fault, String outcome, ExitCode exitCode) {
    this.id = id;
    this.fault = fault;
    this.outcome = outcome;
    this.exitCode = exitCode;
  }

  /**
   * The man page's list (haproxy-sd-apply(1), "What happens when"), in AsciiDoc. Every row also holds for all rows:
   * haproxy keeps serving, the next run converges.
   */
  static String manPageList() {
    List<String> lines = new ArrayList<>();
    for (FaultRow row : values()) {
      lines.add(row.id + "::");
      lines.add("  " + asciidoc(row.fault) + ". Outcome: " + asciidoc(row.outcome) + ". Exit status: "
          + (row.exitCode == null ? "killed; the next run 0" : Integer.toString(row.exitCode.code)) + ".");
    }
    return String.join("\n", lines) + "\n";
  }

  /** {@code `code`} as literal monospace ({@code `+code+`}), so {@code ${ENV}} or {@code #} stay as they are. */
  private static String asciidoc(String text) {
    return text.replaceAll("`([^`]*)`", "`+$1+`");
  }
}
