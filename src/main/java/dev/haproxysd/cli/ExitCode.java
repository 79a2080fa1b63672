package dev.haproxysd.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every exit status haproxy-sd uses, declared once: {@code --help}, the README and the man pages list these.
 * Domain failures start at 10 so scripts can tell them from usage errors without parsing stderr.
 */
enum ExitCode {
  OK(0, "Success (diff: no differences)."),
  DIFFERS(1, "diff: the rendered config differs from the target."),
  USAGE(2, "Usage error: unknown option, bad value, no source given, or a bad config file (file:line: key)."),
  DISCOVERY(10, "Discovery failed: an AWS call or page failed; no partial inventory was used."),
  INVENTORY(11, "The inventory file is not valid JSON, has the wrong version or a missing or unknown field."),
  UNSAFE_VALUE(12, "A value was refused because it could add or change a directive (the message names it)."),
  TEMPLATE(13, "Template error (file:line:col: message) or template not found."),
  REJECTED(14, "haproxy -c rejected the config (its [ALERT] lines are shown)."),
  HAPROXY_MISSING(15, "The haproxy binary was not found or could not be run."),
  IO(16, "A file could not be read or written."),
  RELOAD_FAILED(17, "apply: the reload failed or could not be verified; haproxy runs the previous config "
      + "(restored and reloaded, or never replaced)."),
  LOCKED(18, "apply: another apply holds the state-directory lock (see --lock-timeout); this run did nothing."),
  GUARD_REFUSED(19, "apply: a guard refused: a service would become empty, or more than --max-removal of the "
      + "servers would go unexplained (missing while their Auto Scaling group still wants them, or a shrink without "
      + "desired capacity not yet seen in --confirm-runs runs); nothing was written."),
  ROLLBACK_FAILED(20, "apply: the reload failed and restoring the previous config failed too; check haproxy now."),
  QUARANTINED(21, "apply: the rendered config is byte-identical to one that failed before (haproxy -c rejected it or "
      + "its reload was rolled back); nothing was installed or reloaded. Change the inputs, or --force tries it."),
  STALE_INVENTORY(22, "The S3 inventory is older than --max-inventory-age (its publisher is dead or stuck); nothing "
      + "was rendered from it, the running config stays."),
  LIFECYCLE_FAILED(23, "apply: the config work succeeded, but a lifecycle hook call (DescribeLifecycleHooks, "
      + "CompleteLifecycleAction, RecordLifecycleActionHeartbeat) or a drain-report request (PutObject, "
      + "ListObjectsV2, GetObject) failed; the message names the IAM action; nothing was completed early; the next "
      + "run tries again."),
  S3_FAILED(24, "Reading or publishing the S3 inventory failed: access denied, no such bucket or object, an S3 "
      + "error or no answer; nothing was changed (a published object stays as it was)."),
  LAST_RUN_FAILED(25, "status: the last apply run failed or was refused (its exit code and message are shown)."),
  NO_RUN_RECORDED(26, "status: the state directory is missing, or holds no readable record of an apply run yet."),
  INTERNAL(70, "Internal error: a bug. Rerun with -v and report the stack trace.");

  final int code;
  final String description;

  ExitCode(int code, String description) {
    this.code = code;
    this.description = description;
  }

  /** For picocli's {@code exitCodeList}: code → description, in order. */
  static Map<String, String> helpList() {
    Map<String, String> list = new LinkedHashMap<>();
    for (ExitCode c : values()) {
      list.put(String.format("%3d", c.code), c.description);
    }
    return list;
  }
}
