package dev.haproxysd.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * TCP ports on 127.0.0.1 that were free a moment ago (bind port 0, read it back, close). Another process may take
 * one before it is used: {@link HaproxyInstance} retries on fresh ports then; backends bind port 0 themselves.
 */
public final class FreePort {
  private FreePort() {}

  public static int pick() {
    return pick(1).get(0);
  }

  /** {@code count} distinct ports, all held open together while picking. */
  public static List<Integer> pick(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0, 1, InetAddress.getLoopbackAddress()));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // a port we only read back
        }
      }
    }
  }
}
