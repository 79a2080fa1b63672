package dev.haproxysd.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/**
 * One command on a haproxy CLI socket (master CLI or stats socket): connect, send the line, half-close, read to EOF.
 * The half-close matters: haproxy 2.6's master CLI keeps a connection open until the client stops writing.
 */
final class UnixSocketClient {
  private UnixSocketClient() {}

  static String exchange(Path socket, String command, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.UTF_8));
      while (request.hasRemaining()) {
        channel.write(request);
      }
      channel.shutdownOutput();
      channel.configureBlocking(false);
      ByteArrayOutputStream response = new ByteArrayOutputStream();
      ByteBuffer buffer = ByteBuffer.allocate(8192);
      try (Selector selector = Selector.open()) {
        channel.register(selector, SelectionKey.OP_READ);
        while (true) {
          long left = (deadline - System.nanoTime()) / 1_000_000;
          if (left <= 0) {
            throw new IOException(socket + ": no complete answer to '" + command + "' within " + timeout.toMillis()
                + " ms");
          }
          selector.select(left);
          selector.selectedKeys().clear();
          int n = channel.read(buffer);
          if (n < 0) {
            return response.toString(StandardCharsets.UTF_8);
          }
          response.write(buffer.array(), 0, buffer.position());
          buffer.clear();
        }
      }
    }
  }
}
