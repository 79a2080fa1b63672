package dev.haproxysd.haproxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The server rows of a {@code show stat} CSV answer: backend, server, current sessions ({@code scur}) and the
 * server's address ({@code addr}, {@code IP:PORT}; absent for a server without one).
 */
record StatRows(List<Row> rows) {
  StatRows {
    rows = List.copyOf(rows);
  }

  /** One server of one process. */
  record Row(String backend, String server, int sessions, InetSocketAddress address) {
    String id() {
      return backend + "/" + server;
    }
  }

  /** @throws IOException when the answer is not {@code show stat} CSV with pxname, svname and scur columns */
  static StatRows parse(String text, String source) throws IOException {
    if (!text.startsWith("# ")) {
      throw new IOException(source + ": unexpected answer to 'show stat': " + firstLine(text)
          + " (is it a stats socket?)");
    }
    String[] lines = text.split("\n");
    List<String> header = List.of(lines[0].substring(2).split(",", -1));
    int px = header.indexOf("pxname");
    int sv = header.indexOf("svname");
    int scur = header.indexOf("scur");
    int addr = header.indexOf("addr");
    if (px < 0 || sv < 0 || scur < 0) {
      throw new IOException(source + ": show stat has no pxname, svname or scur column in '" + firstLine(text) + "'");
    }
    List<Row> rows = new ArrayList<>();
    for (int i = 1; i < lines.length; i++) {
      String[] fields = lines[i].split(",", -1);
      if (lines[i].isBlank() || fields.length <= Math.max(scur, Math.max(px, sv))
          || fields[sv].equals("FRONTEND") || fields[sv].equals("BACKEND")) {
        continue;
      }
      try {
        rows.add(new Row(fields[px], fields[sv], Integer.parseInt(fields[scur]),
            addr >= 0 && addr < fields.length ? endpoint(fields[addr]) : null));
      } catch (NumberFormatException e) {
        throw new IOException(source + ": show stat: cannot read scur of " + fields[px] + "/" + fields[sv], e);
      }
    }
    return new StatRows(rows);
  }

  /** {@code 10.0.0.5:80} or {@code [fd00::5]:80}; null for anything else (a UNIX socket, no address). */
  static InetSocketAddress endpoint(String text) {
    int colon = text.lastIndexOf(':');
    if (colon <= 0) {
      return null;
    }
    String host = text.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    if (!host.matches("[0-9A-Fa-f:.]+") || !text.substring(colon + 1).matches("[0-9]{1,5}")) {
      return null;
    }
    int port = Integer.parseInt(text.substring(colon + 1));
    try {
      return port > 65535 ? null : new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  static String firstLine(String text) {
    String first = text.strip().split("\n", 2)[0];
    return first.isEmpty() ? "(nothing)" : first.length() > 100 ? first.substring(0, 100) + "..." : first;
  }
}
