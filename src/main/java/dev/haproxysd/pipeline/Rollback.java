package dev.haproxysd.pipeline;

import dev.haproxysd.haproxy.ReloadException;
import dev.haproxysd.haproxy.ReloadStrategy;
import dev.haproxysd.model.Clock;
import dev.haproxysd.model.Log;
import dev.haproxysd.model.Sha256;
import dev.haproxysd.state.AppliedState;
import dev.haproxysd.state.AppliedState.Origin;
import dev.haproxysd.state.AtomicFile;
import dev.haproxysd.state.StateStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;

/**
 * After a failed reload: put the last-known-good config back and reload it, recording what haproxy runs now; when
 * there is nothing to go back to, or going back fails too, record that. Either way the run ends in the one {@link
 * ApplyFailure} this returns.
 */
final class Rollback {
  private final ApplySettings settings;
  private final ServerStateFile serverState;
  private final Clock clock;
  private final Log log;

  Rollback(ApplySettings settings, ServerStateFile serverState, Clock clock, Log log) {
    this.settings = settings;
    this.serverState = serverState;
    this.clock = clock;
    this.log = log;
  }

  ApplyFailure after(Plan plan, ReloadException failure) {
    StateStore store = settings.state();
    Path target = settings.configFile();
    Sha256 failedSha = plan.desired().sha256();
    Optional<byte[]> previous;
    try {
      previous = plan.current() == null && plan.action() == Plan.Action.INSTALL
          ? Optional.empty() : store.lastKnownGood();
    } catch (IOException e) {
      previous = Optional.empty();
      log.warn("cannot read the last-known-good config: " + e.getMessage());
    }
    if (previous.isEmpty()) {
      recordFailed(failedSha);
      return ApplyFailure.rollbackFailed("reload failed: " + failure.getMessage()
          + "; there is no previous config to roll back to; check haproxy now", failure.getMessage(), failure);
    }
    byte[] good = previous.get();
    String goodText = new String(good, StandardCharsets.UTF_8);
    serverState.emptyFor(goodText);
    try {
      AtomicFile.write(target, good);
      ReloadStrategy.Reload again = settings.reload().prepare(plan.desired().text());
      ReloadStrategy.Verified verified = again.reloadAndVerify(goodText);
      Origin restored = plan.applied() == null ? Origin.UNKNOWN : plan.applied().origin();
      store.record(AppliedState.rolledBack(target, Sha256.of(good), failedSha, restored, clock.now()));
      return ApplyFailure.rolledBack("reload failed: " + failure.getMessage()
          + "; restored the previous config and reloaded it (" + verified + ")", failure.getMessage(), failure);
    } catch (ReloadException | IOException e) {
      recordFailed(failedSha);
      return ApplyFailure.rollbackFailed("reload failed: " + failure.getMessage()
          + "; the rollback failed too: " + e.getMessage() + "; check haproxy now", failure.getMessage(), failure);
    }
  }

  /** After a failed rollback: record what the file now holds, without hiding the failure behind a write error. */
  private void recordFailed(Sha256 failedSha) {
    StateStore store = settings.state();
    try {
      Sha256 onDisk = AtomicFile.read(settings.configFile()).map(Sha256::of).orElse(failedSha);
      store.record(AppliedState.rollbackFailed(settings.configFile(), onDisk, failedSha, clock.now()));
    } catch (IOException | RuntimeException e) {
      log.warn("cannot record the failed run in " + store.dir() + ": " + e.getMessage());
    }
  }
}
