package dev.haproxysd.haproxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A config read for what the runtime API can change: the {@code server} lines of its backends, and whether two
 * configs differ in anything else. Two configs that differ only in server addresses, ports, weights, {@code
 * disabled} and trailing comments on server lines can be switched without a reload.
 *
 * <pre>{@code
 * ServerLines running = ServerLines.of(installedText);
 * Optional<String> why = running.structuralDifference(ServerLines.of(renderedText)); // empty: runtime API will do
 * }</pre>
 */
public final class ServerLines {
  private static final Set<String> SECTIONS = Set.of("global", "defaults", "frontend", "backend", "listen", "peers",
      "resolvers", "userlist", "mailers", "program", "http-errors", "ring", "cache", "fcgi-app");
  private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");
  private static final Pattern DIGITS = Pattern.compile("[0-9]{1,6}");
  private static final int SHOWN = 70;

  /**
   * One {@code server} line of a backend (or listen) section.
   *
   * @param line 1-based line number
   * @param address the IP literal it points to, or null when it is not an IP literal with a port (a host name, an
   *     {@code ipv4@} prefix, a variable): such a server cannot be switched through the runtime API
   * @param port 1-65535, or 0 with a null address
   * @param weight the {@code weight} parameter (1 when absent)
   * @param disabled it has the {@code disabled} keyword (starts in maintenance)
   */
  public record ServerLine(int line, String backend, String name, InetAddress address, int port, int weight,
      boolean disabled, List<String> skeleton) {
    public ServerLine {
      skeleton = List.copyOf(skeleton);
    }

    public String id() {
      return backend + "/" + name;
    }

    /**
     * Whether haproxy runs this server somewhere else than the line says: at another address or port. A line
     * without an IP literal says nowhere in particular, so never.
     */
    public boolean elsewhereThan(RuntimeApi.ServerStatus running) {
      return address != null && !running.at(address, port);
    }
  }

  private final List<String> lines;
  private final List<ServerLine> byLine;
  private final List<ServerLine> servers;
  private final String stateFile;
  private final String stateBase;

  private ServerLines(List<String> lines, List<ServerLine> byLine, String stateFile, String stateBase) {
    this.lines = lines;
    this.byLine = byLine;
    List<ServerLine> all = new ArrayList<>();
    byLine.forEach(s -> {
      if (s != null) {
        all.add(s);
      }
    });
    this.servers = Collections.unmodifiableList(all);
    this.stateFile = stateFile;
    this.stateBase = stateBase;
  }

  public static ServerLines of(String config) {
    List<String> lines = config.isEmpty() ? List.of() : List.of(config.split("\n", -1));
    List<ServerLine> byLine = new ArrayList<>(lines.size());
    String section = "";
    String proxy = null;
    String stateFile = null;
    String stateBase = null;
    for (int i = 0; i < lines.size(); i++) {
      List<String> tokens = tokens(lines.get(i));
      ServerLine server = null;
      if (!tokens.isEmpty()) {
        String first = tokens.get(0);
        if (SECTIONS.contains(first)) {
          section = first;
          proxy = tokens.size() > 1 ? tokens.get(1) : null;
        } else if (section.equals("global") && tokens.size() == 2 && first.equals("server-state-file")) {
          stateFile = tokens.get(1);
        } else if (section.equals("global") && tokens.size() == 2 && first.equals("server-state-base")) {
          stateBase = tokens.get(1);
        } else if (first.equals("server") && proxy != null && tokens.size() >= 3
            && (section.equals("backend") || section.equals("listen"))) {
          server = server(i + 1, proxy, tokens);
        }
      }
      byLine.add(server);
    }
    return new ServerLines(lines, byLine, stateFile, stateBase);
  }

  public List<ServerLine> servers() {
    return servers;
  }

  /**
   * The global {@code server-state-file}, resolved against {@code server-state-base}; empty when the config has
   * none, or names a relative file without a base (relative to haproxy's working directory, which apply cannot
   * know).
   */
  public Optional<Path> serverStateFile() {
    if (stateFile == null) {
      return Optional.empty();
    }
    Path file = Path.of(stateFile);
    if (file.isAbsolute()) {
      return Optional.of(file);
    }
    if (stateBase != null && Path.of(stateBase).isAbsolute()) {
      return Optional.of(Path.of(stateBase).resolve(file));
    }
    return Optional.empty();
  }

  /**
   * Empty when {@code desired} differs from this config only where the runtime API can follow: the address, port,
   * weight, {@code disabled} keyword or trailing comment of a server line whose new address is an IP literal.
   * Otherwise the first difference, e.g. {@code line 57 changed: backend api}.
   */
  public Optional<String> structuralDifference(ServerLines desired) {
    int common = Math.min(lines.size(), desired.lines.size());
    for (int i = 0; i < common; i++) {
      if (lines.get(i).equals(desired.lines.get(i))) {
        continue;
      }
      ServerLine was = byLine.get(i);
      ServerLine now = desired.byLine.get(i);
      if (was != null && now != null && was.id().equals(now.id()) && was.skeleton().equals(now.skeleton())
          && now.address() != null) {
        continue;
      }
      return Optional.of("line " + (i + 1) + " changed: " + shown(desired.lines.get(i)));
    }
    if (lines.size() < desired.lines.size()) {
      return Optional.of("line " + (common + 1) + " added: " + shown(desired.lines.get(common)));
    }
    if (lines.size() > desired.lines.size()) {
      return Optional.of("line " + (common + 1) + " removed: " + shown(lines.get(common)));
    }
    return Optional.empty();
  }

  /** The server lines of {@code desired} that differ from this config's (same line count assumed). */
  public List<ServerLine> changedIn(ServerLines desired) {
    List<ServerLine> changed = new ArrayList<>();
    for (int i = 0; i < Math.min(lines.size(), desired.lines.size()); i++) {
      ServerLine now = desired.byLine.get(i);
      ServerLine was = byLine.get(i);
      if (now != null && (was == null || was.port() != now.port() || was.weight() != now.weight()
          || was.disabled() != now.disabled() || !java.util.Objects.equals(was.address(), now.address()))) {
        changed.add(now);
      }
    }
    return changed;
  }

  private static ServerLine server(int line, String backend, List<String> tokens) {
    String name = tokens.get(1);
    InetAddress address = null;
    int port = 0;
    String endpoint = tokens.get(2);
    int colon = endpoint.lastIndexOf(':');
    if (colon > 0 && DIGITS.matcher(endpoint.substring(colon + 1)).matches()) {
      String host = endpoint.substring(0, colon);
      int p = Integer.parseInt(endpoint.substring(colon + 1));
      InetAddress parsed = literal(host);
      if (parsed != null && p >= 1 && p <= 65535) {
        address = parsed;
        port = p;
      }
    }
    List<String> skeleton = new ArrayList<>();
    skeleton.add("server");
    skeleton.add(name);
    if (address == null) {
      skeleton.add(endpoint); // not switchable: any change to it is structural
    }
    int weight = 1;
    boolean disabled = false;
    for (int i = 3; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (t.equals("weight") && i + 1 < tokens.size() && DIGITS.matcher(tokens.get(i + 1)).matches()
          && Integer.parseInt(tokens.get(i + 1)) <= 256) {
        weight = Integer.parseInt(tokens.get(++i));
      } else if (t.equals("disabled")) {
        disabled = true;
      } else if (!t.equals("enabled")) {
        skeleton.add(t);
      }
    }
    return new ServerLine(line, backend, name, address, port, weight, disabled, skeleton);
  }

  private static InetAddress literal(String host) {
    String bare = host;
    if (host.startsWith("[") && host.endsWith("]")) {
      bare = host.substring(1, host.length() - 1);
      if (!IPV6.matcher(bare).matches() || bare.indexOf(':') < 0) {
        return null;
      }
    } else if (!IPV4.matcher(host).matches()) {
      return null;
    } else {
      for (String octet : host.split("\\.")) {
        if (Integer.parseInt(octet) > 255) {
          return null; // would otherwise be looked up as a host name
        }
      }
    }
    try {
      return InetAddress.getByName(bare); // a literal: no lookup happens
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** Whitespace-separated words, up to a {@code #} that starts a word (haproxy's comment rule outside quotes). */
  static List<String> tokens(String line) {
    List<String> tokens = new ArrayList<>();
    for (String word : line.strip().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      if (word.startsWith("#")) {
        break;
      }
      tokens.add(word);
    }
    return tokens;
  }

  private static String shown(String line) {
    String s = line.strip();
    return s.length() <= SHOWN ? s : s.substring(0, SHOWN) + "...";
  }
}
