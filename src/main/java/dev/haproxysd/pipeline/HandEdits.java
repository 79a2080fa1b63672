package dev.haproxysd.pipeline;

import dev.haproxysd.model.Log;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.state.AppliedState;
import java.nio.file.Path;
import java.util.regex.Pattern;

/**
 * The installed file is not what the last apply recorded: someone edited it. Says so, and shows in the log what the
 * overwrite discards (lines that may hold a credential masked), since those edits live on only in the backups.
 */
final class HandEdits {
  // Lines of a config that may carry a secret (insecure-password, stats auth, a token in a header...).
  private static final Pattern CREDENTIAL = Pattern.compile("(?i)(pass|auth|secret|token|key)");

  private HandEdits() {}

  /** @param kept where the edited file is kept: the state directory */
  static void warn(Plan plan, Path kept, Log log) {
    AppliedState applied = plan.applied();
    if (plan.action() != Plan.Action.INSTALL || applied == null || plan.current() == null) {
      return;
    }
    Sha256 found = Sha256.of(plan.current());
    if (found.equals(applied.configSha256())) {
      return;
    }
    log.warn(plan.target() + " was edited by hand since the last apply (sha256 " + applied.configSha256().shortHex()
        + " recorded, " + found.shortHex() + " found): overwriting it; the edited file is kept as "
        + kept.resolve("last-known-good.cfg") + " and in the backups. The overwrite changes:");
    plan.unifiedDiff().lines().forEach(line -> log.warn("| " + masked(line)));
  }

  private static String masked(String diffLine) {
    return CREDENTIAL.matcher(diffLine).find()
        ? diffLine.charAt(0) + " [a line that may hold a credential: not shown]" : diffLine;
  }
}
