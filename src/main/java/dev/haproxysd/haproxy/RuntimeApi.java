package dev.haproxysd.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * haproxy's runtime API on a stats socket with {@code level admin} ({@code --runtime-api}): a UNIX socket path or
 * {@code ipv4@IP:PORT}. Every {@code set server} command is checked against the reply haproxy gives on success; the
 * values are checked before they are sent, because haproxy silently wraps {@code port 70000} to 4464.
 *
 * <pre>{@code
 * RuntimeApi api = RuntimeApi.parse("/run/haproxy/admin.sock", Duration.ofSeconds(5));
 * api.execute(List.of(RuntimeApi.Command.weight("web", "slot3", 50)));   // throws RuntimeApiException
 * Map<String, RuntimeApi.ServerStatus> now = api.serversState();        // "web/slot3" -> status
 * }</pre>
 */
public final class RuntimeApi {
  /** haproxy reads a CLI line into one buffer (16 kB by default); stay well below it. */
  private static final int MAX_LINE = 8000;
  private static final Pattern ADDR_REPLY = Pattern.compile("(IP changed from '[^']*' to '[^']*'|no need to change "
      + "the addr)(, (port changed from '[^']*' to '[^']*'|no need to change the port))? by 'stats socket command'");
  private static final Pattern ENDPOINT = Pattern.compile("ipv4@([0-9.]+):([0-9]{1,5})");
  // srv_admin_state bits (haproxy's SRV_ADMF_*): forced, inherited and resolver maintenance; forced and inherited
  // drain. Config maintenance (CMAINT, 0x04) alone is only a marker: "disabled" in the file, later set ready.
  private static final int MAINT = 0x01 | 0x02 | 0x20;
  private static final int DRAIN = 0x08 | 0x10;

  private final Path unixSocket;
  private final InetSocketAddress tcp;
  private final Duration timeout;

  private RuntimeApi(Path unixSocket, InetSocketAddress tcp, Duration timeout) {
    this.unixSocket = unixSocket;
    this.tcp = tcp;
    this.timeout = timeout;
  }

  /**
   * @param spec a UNIX socket path ({@code /run/haproxy/admin.sock}, optionally {@code unix@...}) or {@code
   *     ipv4@IP:PORT}
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static RuntimeApi parse(String spec, Duration timeout) {
    if (spec.startsWith("ipv4@")) {
      var m = ENDPOINT.matcher(spec);
      int port = m.matches() ? Integer.parseInt(m.group(2)) : 0;
      if (!m.matches() || port < 1 || port > 65535) {
        throw new IllegalArgumentException(spec + ": expected ipv4@IP:PORT (e.g. "
            + "ipv4@127.0.0.1:9999) or a UNIX socket path");
      }
      try {
        return new RuntimeApi(null, new InetSocketAddress(InetAddress.getByName(m.group(1)), port), timeout);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException(spec + ": " + m.group(1) + " is not an IPv4 address");
      }
    }
    String path = spec.startsWith("unix@") ? spec.substring("unix@".length()) : spec;
    if (path.isEmpty() || spec.contains("@") && !spec.startsWith("unix@")) {
      throw new IllegalArgumentException(spec + ": expected a UNIX socket path or ipv4@IP:PORT");
    }
    return new RuntimeApi(Path.of(path), null, timeout);
  }

  public String describe() {
    return unixSocket != null ? "runtime API " + unixSocket : "runtime API ipv4@" + tcp.getAddress()
        .getHostAddress() + ":" + tcp.getPort();
  }

  /** One command line (commands may be joined with {@code ;}), raw answer. */
  public String command(String line) throws IOException {
    if (unixSocket != null) {
      return UnixSocketClient.exchange(unixSocket, line, timeout);
    }
    try (Socket socket = new Socket()) {
      socket.connect(tcp, (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      OutputStream out = socket.getOutputStream();
      out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      socket.shutdownOutput();
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream answer = new ByteArrayOutputStream();
      in.transferTo(answer);
      return answer.toString(StandardCharsets.UTF_8);
    }
  }

  /** The worker answering here, from {@code show info}: its pid and when it started (whole seconds, rounded down). */
  public record Worker(int pid, java.time.Instant startedAt) {}

  /** {@code show info}'s {@code Pid} and {@code Start_time_sec}. */
  public Worker worker() throws IOException {
    String info = command("show info");
    java.util.regex.Matcher pid = Pattern.compile("(?m)^Pid: (\\d+)$").matcher(info);
    java.util.regex.Matcher start = Pattern.compile("(?m)^Start_time_sec: (\\d+)$").matcher(info);
    if (!pid.find() || !start.find()) {
      throw new IOException(describe() + ": 'show info' has no Pid or Start_time_sec line: " + firstLine(info));
    }
    return new Worker(Integer.parseInt(pid.group(1)),
        java.time.Instant.ofEpochSecond(Long.parseLong(start.group(1))));
  }

  /** {@code show servers state}, as haproxy prints it. */
  public String serversStateText() throws IOException {
    String text = command("show servers state");
    if (!text.startsWith("1\n")) {
      throw new IOException(describe() + ": unexpected answer to 'show servers state': " + firstLine(text)
          + " (is it a stats socket with level admin?)");
    }
    return text;
  }

  /**
   * Current sessions of every server ({@code show stat}'s {@code scur}, servers only), keyed {@code backend/server}.
   */
  public Map<String, Integer> sessions() throws IOException {
    Map<String, Integer> sessions = new LinkedHashMap<>();
    for (StatRows.Row row : StatRows.parse(command("show stat -1 4 -1"), describe()).rows()) {
      sessions.put(row.id(), row.sessions());
    }
    return sessions;
  }

  /** Every server haproxy runs, keyed {@code backend/server}. */
  public Map<String, ServerStatus> serversState() throws IOException {
    return parseServersState(serversStateText());
  }

  /**
   * Sends the commands (joined with {@code ;} into lines below haproxy's line buffer) and checks every reply.
   *
   * @throws RuntimeApiException at the first unexpected reply (the commands in the same line ran anyway)
   */
  public void execute(List<Command> commands) throws IOException {
    List<Command> batch = new ArrayList<>();
    int length = 0;
    for (Command command : commands) {
      if (!batch.isEmpty() && length + command.text().length() + 2 > MAX_LINE) {
        send(batch);
        batch.clear();
        length = 0;
      }
      batch.add(command);
      length += command.text().length() + 2;
    }
    if (!batch.isEmpty()) {
      send(batch);
    }
  }

  private void send(List<Command> batch) throws IOException {
    StringBuilder line = new StringBuilder();
    for (Command command : batch) {
      if (line.length() > 0) {
        line.append("; ");
      }
      line.append(command.text());
    }
    List<List<String>> replies = replies(command(line.toString()));
    if (replies.size() != batch.size()) {
      throw new RuntimeApiException(describe() + ": " + batch.size() + " commands got " + replies.size()
          + " replies (first command: '" + batch.get(0).text() + "')");
    }
    for (int i = 0; i < batch.size(); i++) {
      Command command = batch.get(i);
      List<String> reply = replies.get(i);
      if (!command.accepts(reply)) {
        throw new RuntimeApiException("'" + command.text() + "' was answered '"
            + (reply.isEmpty() ? "" : String.join(" ", reply)) + "'");
      }
    }
  }

  /** haproxy answers each command of a line with its reply lines and one empty line. */
  static List<List<String>> replies(String answer) {
    List<List<String>> replies = new ArrayList<>();
    List<String> current = new ArrayList<>();
    for (String line : answer.split("\n", -1)) {
      if (line.isEmpty()) {
        replies.add(current);
        current = new ArrayList<>();
      } else {
        current.add(line);
      }
    }
    // split leaves one empty string after the final newline: that is not a reply
    if (!replies.isEmpty() && answer.endsWith("\n") && current.isEmpty()) {
      replies.remove(replies.size() - 1);
    }
    return replies;
  }

  /** Parses a {@code show servers state} answer, keyed {@code backend/server}. */
  public static Map<String, ServerStatus> parseServersState(String text) throws IOException {
    String[] lines = text.split("\n");
    String[] header = null;
    Map<String, ServerStatus> servers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty()) {
        continue;
      }
      if (line.startsWith("#")) {
        header = line.substring(1).strip().split("\\s+");
        continue;
      }
      if (header == null) {
        throw new IOException("show servers state: no header line before the data");
      }
      String[] fields = line.split("\\s+");
      Map<String, String> row = new HashMap<>();
      for (int f = 0; f < Math.min(header.length, fields.length); f++) {
        row.put(header[f], fields[f]);
      }
      try {
        ServerStatus status = new ServerStatus(row.get("be_name"), row.get("srv_name"),
            address(row.get("srv_addr")), Integer.parseInt(row.get("srv_port")),
            Integer.parseInt(row.get("srv_admin_state")), Integer.parseInt(row.get("srv_uweight")),
            Integer.parseInt(row.get("srv_op_state")));
        servers.put(status.id(), status);
      } catch (RuntimeException e) {
        throw new IOException("show servers state: cannot read the line '" + line + "'", e);
      }
    }
    return servers;
  }

  private static InetAddress address(String text) {
    if (text == null || text.equals("-") || !text.matches("[0-9A-Fa-f:.]+")) {
      return null;
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static String firstLine(String text) {
    String first = text.strip().split("\n", 2)[0];
    return first.isEmpty() ? "(nothing)" : first.length() > 100 ? first.substring(0, 100) + "..." : first;
  }

  /** A server as {@code show servers state} shows it. */
  public record ServerStatus(String backend, String name, InetAddress address, int port, int adminState,
      int userWeight, int operationalState) {
    public String id() {
      return backend + "/" + name;
    }

    /** Whether it serves at exactly this address and port: how a server line or an inventory server finds it. */
    public boolean at(InetAddress address, int port) {
      return address.equals(this.address) && port == this.port;
    }

    /** In maintenance (forced, inherited or by the resolver) — not merely marked {@code disabled} in the file. */
    public boolean maint() {
      return (adminState & MAINT) != 0;
    }

    public boolean drain() {
      return (adminState & DRAIN) != 0;
    }

    /** The weight new connections see: 0 when draining. */
    public int effectiveWeight() {
      return drain() ? 0 : userWeight;
    }

    /** E.g. {@code 10.0.0.5:80 ready weight 10}. */
    public String describe() {
      String state = maint() ? "maint" : drain() ? "drain" : "ready";
      return (address == null ? "?" : address.getHostAddress()) + ":" + port + " " + state + " weight "
          + userWeight;
    }
  }

  /** One {@code set server} command and the reply it must get. */
  public record Command(String text, boolean addr) {
    /**
     * {@code set server B/S addr IP port P}.
     *
     * @throws IllegalArgumentException for a port outside 1-65535 (haproxy would wrap it silently)
     */
    public static Command addr(String backend, String server, InetAddress address, int port) {
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " of " + backend + "/" + server + " is outside 1-65535");
      }
      return new Command("set server " + backend + "/" + server + " addr " + address.getHostAddress() + " port "
          + port, true);
    }

    /** @throws IllegalArgumentException for a weight outside 0-256 */
    public static Command weight(String backend, String server, int weight) {
      if (weight < 0 || weight > 256) {
        throw new IllegalArgumentException("weight " + weight + " of " + backend + "/" + server
            + " is outside 0-256");
      }
      return new Command("set server " + backend + "/" + server + " weight " + weight, false);
    }

    /** @param state {@code ready}, {@code drain} or {@code maint} */
    public static Command state(String backend, String server, String state) {
      String s = state.toLowerCase(Locale.ROOT);
      if (!s.equals("ready") && !s.equals("drain") && !s.equals("maint")) {
        throw new IllegalArgumentException("state " + state + " is not ready, drain or maint");
      }
      return new Command("set server " + backend + "/" + server + " state " + s, false);
    }

    /** weight and state answer nothing on success; addr answers one line saying what changed. */
    boolean accepts(List<String> reply) {
      if (!addr) {
        return reply.isEmpty();
      }
      return reply.size() == 1 && ADDR_REPLY.matcher(reply.get(0)).matches();
    }
  }
}
