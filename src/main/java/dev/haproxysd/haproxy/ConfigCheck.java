package dev.haproxysd.haproxy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code haproxy -c} on a file (a seam: tests on Jimfs record the calls instead of running haproxy).
 *
 * <pre>{@code
 * ConfigCheck check = ConfigCheck.haproxy("haproxy", ProcessRunner.system());
 * CheckResult result = check.check(candidate, "/etc/haproxy/haproxy.cfg (candidate)");
 * }</pre>
 */
@FunctionalInterface
public interface ConfigCheck {
  /** The real binary: {@code binary -c -f FILE}. */
  static ConfigCheck haproxy(String binary, ProcessRunner runner) {
    return new HaproxyChecker(binary, runner);
  }

  /**
   * @param shownAs the name haproxy's messages should show instead of {@code config}'s path (e.g. a temp file's)
   * @throws HaproxyNotFoundException when haproxy cannot be run
   */
  CheckResult check(Path config, String shownAs);

  /** Checks {@code config} from a temporary file of its own, deleted afterwards, for a config not on disk yet. */
  default CheckResult checkContent(byte[] config, String shownAs) throws IOException {
    Path temp = Files.createTempFile("haproxy-sd-", ".cfg");
    try {
      Files.write(temp, config);
      return check(temp, shownAs);
    } finally {
      Files.deleteIfExists(temp);
    }
  }
}
