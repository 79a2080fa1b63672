package dev.haproxysd.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** {@code haproxy-sd 0.1.0 (commit 1a2b3c4d5e6f)}, from the properties the build writes into the jar. */
final class VersionProvider implements CommandLine.IVersionProvider {
  // picocli asks once per subcommand while it builds the command model, i.e. on every run, not only for -V
  private static String[] version;

  @Override
  public String[] getVersion() throws IOException {
    return lines();
  }

  /** The lines {@code --version} prints. */
  static String[] lines() throws IOException {
    synchronized (VersionProvider.class) {
      if (version == null) {
        version = read();
      }
      return version.clone();
    }
  }

  private static String[] read() throws IOException {
    Properties p = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
      if (in != null) {
        p.load(in);
      }
    }
    String commit = p.getProperty("commit", "unknown");
    if (commit.isBlank() || commit.startsWith("${")) {
      commit = "unknown";
    }
    return new String[] {
      "haproxy-sd " + p.getProperty("version", "dev") + " (commit " + commit + ")",
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"
    };
  }
}
