package dev.haproxysd.state;

import dev.haproxysd.model.Sha256;
import java.time.Instant;
import java.util.Objects;

/**
 * A rendered config that failed: {@code haproxy -c} rejected it, or its reload failed and was rolled back. apply
 * does not try the same bytes again (see {@link StateStore#quarantined}).
 *
 * @param config the candidate's hash
 * @param failedAt when it failed
 * @param reason haproxy's reason, one line (its first [ALERT], or what the reload verification saw)
 */
public record QuarantinedConfig(Sha256 config, Instant failedAt, String reason) {
  public QuarantinedConfig {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(failedAt, "failedAt");
    reason = Objects.requireNonNull(reason, "reason").replaceAll("\\R", " ").strip();
  }
}
