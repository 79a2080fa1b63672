package dev.haproxysd.render;

import dev.haproxysd.haproxy.CheckResult;
import dev.haproxysd.haproxy.ConfigCheck;
import dev.haproxysd.haproxy.ProcessRunner;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The real Debian haproxy binary, as the tests use it: {@code -c} in a chosen environment, and free ports. */
final class RealHaproxy {
  static final String BINARY = Files.isExecutable(Path.of("/usr/sbin/haproxy")) ? "/usr/sbin/haproxy" : "haproxy";

  private RealHaproxy() {}

  /** {@code haproxy -c} with exactly {@code env} added to this JVM's environment minus the stats credentials. */
  static CheckResult check(Path config, Map<String, String> env) {
    ProcessRunner withEnv = (command, timeout) -> {
      ProcessBuilder builder = new ProcessBuilder(command);
      scrub(builder.environment()).putAll(env);
      builder.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      Path out = Files.createTempFile("haproxy-c-", ".out");
      try {
        builder.redirectErrorStream(true).redirectOutput(out.toFile());
        Process p = builder.start();
        if (!p.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          throw new IOException("haproxy -c did not finish");
        }
        return new ProcessRunner.Result(p.exitValue(), "", Files.readString(out));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      } finally {
        Files.deleteIfExists(out);
      }
    };
    return ConfigCheck.haproxy(BINARY, withEnv).check(config, config.getFileName().toString());
  }

  /** Drops variables a developer's shell might carry, so that tests see only what they set. */
  static Map<String, String> scrub(Map<String, String> environment) {
    environment.keySet().removeIf(k -> k.startsWith("HAPROXY_"));
    return environment;
  }

  /** Ports nobody listens on right now (bind 0, read it back, release); other engineers run haproxy here too. */
  static List<Integer> freePorts(int count) throws IOException {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress()));
      }
      List<Integer> ports = new ArrayList<>();
      sockets.forEach(s -> ports.add(s.getLocalPort()));
      return ports;
    } finally {
      for (ServerSocket s : sockets) {
        s.close();
      }
    }
  }
}
