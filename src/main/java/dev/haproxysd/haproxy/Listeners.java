package dev.haproxysd.haproxy;

import dev.haproxysd.model.Clock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code bind} addresses of a config, and a TCP (or UNIX) connect to each: a reload can report success and
 * still have lost a listener, so after every reload each one must accept a connection.
 *
 * <p>A wildcard ({@code :80}, {@code *:80}, {@code 0.0.0.0:80}) is reached on the loopback address; {@code abns@},
 * {@code fd@}, {@code sockpair@}, UDP/QUIC and addresses with {@code ${...}} cannot be connected to and are skipped,
 * as are the binds of a {@code disabled} proxy.
 */
final class Listeners {
  private static final Set<String> SECTIONS = Set.of("global", "defaults", "frontend", "backend", "listen",
      "peers", "resolvers", "userlist", "cache", "program", "http-errors", "ring", "mailers", "fcgi-app");
  private static final int MAX_RANGE = 64;
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration RETRY = Duration.ofMillis(100);

  /** One address to connect to, and how the config spelled it. */
  record Listener(String shown, SocketAddress address) {}

  private Listeners() {}

  static List<Listener> of(String config) {
    List<Listener> all = new ArrayList<>();
    List<Listener> section = new ArrayList<>();
    boolean disabled = false;
    for (String line : ConfigLines.of(config)) {
      String[] words = line.split("\\s+");
      if (SECTIONS.contains(words[0])) {
        if (!disabled) {
          all.addAll(section);
        }
        section.clear();
        disabled = false;
      } else if (words[0].equals("disabled")) {
        disabled = true;
      } else if (words[0].equals("bind") && words.length > 1) {
        for (String address : words[1].split(",")) {
          section.addAll(parse(address));
        }
      }
    }
    if (!disabled) {
      all.addAll(section);
    }
    return all;
  }

  private static List<Listener> parse(String spec) {
    if (spec.contains("${")) {
      return List.of();
    }
    String address = spec;
    int at = spec.indexOf('@');
    String family = "";
    if (at > 0 && !spec.startsWith("/")) {
      family = spec.substring(0, at);
      address = spec.substring(at + 1);
    }
    if (family.equals("unix") || (family.isEmpty() && address.startsWith("/"))) {
      return List.of(new Listener(spec, UnixDomainSocketAddress.of(Path.of(address))));
    }
    if (!Set.of("", "ipv4", "ipv6", "tcp", "tcp4", "tcp6").contains(family)) {
      return List.of(); // abns@, fd@, sockpair@, udp@, quic4@ ...: nothing to connect to over TCP
    }
    int colon = address.lastIndexOf(':');
    if (colon < 0) {
      return List.of();
    }
    String host = address.substring(0, colon);
    String ports = address.substring(colon + 1);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    InetAddress target;
    try {
      target = connectable(host, family);
    } catch (UnknownHostException e) {
      return List.of();
    }
    List<Listener> listeners = new ArrayList<>();
    String[] range = ports.split("-", 2);
    try {
      int first = Integer.parseInt(range[0]);
      int last = range.length == 2 ? Integer.parseInt(range[1]) : first;
      for (int port = first; port <= last && port - first < MAX_RANGE; port++) {
        listeners.add(new Listener(spec.contains("-") ? host + ":" + port : spec,
            new InetSocketAddress(target, port)));
      }
    } catch (NumberFormatException e) {
      return List.of();
    }
    return listeners;
  }

  private static InetAddress connectable(String host, String family) throws UnknownHostException {
    boolean v6 = family.equals("ipv6") || family.equals("tcp6") || host.contains(":");
    if (host.isEmpty() || host.equals("*")) {
      return v6 ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1");
    }
    InetAddress address = InetAddress.getByName(host);
    if (address.isAnyLocalAddress()) {
      return v6 ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1");
    }
    return address;
  }

  /**
   * Connects to every listener, retrying each until it answers or {@code deadline} passes.
   *
   * @return the listeners that never accepted a connection, each with the last error
   */
  static List<String> unreachable(List<Listener> listeners, Clock.Deadline deadline, Clock clock)
      throws InterruptedException {
    List<String> failures = new ArrayList<>();
    for (Listener listener : listeners) {
      while (true) {
        try {
          connect(listener.address());
          break;
        } catch (IOException e) {
          if (deadline.passed()) {
            failures.add(listener.shown() + " (" + e.getMessage() + ")");
            break;
          }
          clock.sleep(RETRY);
        }
      }
    }
    return failures;
  }

  private static void connect(SocketAddress address) throws IOException {
    if (address instanceof UnixDomainSocketAddress) {
      try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel.connect(address);
      }
      return;
    }
    try (Socket socket = new Socket()) {
      socket.connect(address, (int) CONNECT_TIMEOUT.toMillis());
    }
  }
}
