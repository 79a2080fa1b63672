package dev.haproxysd.render;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The smallest DNS server haproxy's resolvers accept, on UDP 127.0.0.1 and a free port: SRV answers with the
 * targets' A records in the additional section (as Cloud Map sends them), A answers for the targets, NXDOMAIN for
 * anything else. One question per query; no compression except the answer's pointer to the question.
 */
final class SrvDnsServer implements AutoCloseable {
  private static final int TYPE_A = 1;
  private static final int TYPE_SRV = 33;
  private static final int TTL = 5;

  record Srv(String target, InetAddress address, int port, int weight) {}

  private final DatagramSocket socket;
  private final Map<String, List<Srv>> services;
  private final AtomicInteger queries = new AtomicInteger();
  private final Thread thread;

  /** @param services SRV name (e.g. {@code _api._tcp.internal.test}) to its records */
  SrvDnsServer(Map<String, List<Srv>> services) throws SocketException {
    this.services = services;
    this.socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    this.thread = new Thread(this::serve, "srv-dns");
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  int queries() {
    return queries.get();
  }

  private void serve() {
    byte[] buffer = new byte[4096];
    while (!socket.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        socket.receive(packet);
        queries.incrementAndGet();
        byte[] answer = answer(ByteBuffer.wrap(packet.getData(), 0, packet.getLength()));
        socket.send(new DatagramPacket(answer, answer.length, packet.getSocketAddress()));
      } catch (IOException | RuntimeException e) {
        if (socket.isClosed()) {
          return;
        }
      }
    }
  }

  private byte[] answer(ByteBuffer query) {
    int id = query.getShort(0) & 0xffff;
    int flags = query.getShort(2) & 0xffff;
    int end = 12;
    List<String> labels = new ArrayList<>();
    while (query.get(end) != 0) {
      int length = query.get(end);
      labels.add(new String(query.array(), end + 1, length, java.nio.charset.StandardCharsets.US_ASCII));
      end += 1 + length;
    }
    end++;
    int type = query.getShort(end) & 0xffff;
    end += 4;
    String name = String.join(".", labels).toLowerCase(Locale.ROOT);

    List<byte[]> answers = new ArrayList<>();
    List<byte[]> additional = new ArrayList<>();
    boolean known = false;
    if (services.containsKey(name)) {
      known = true;
      if (type == TYPE_SRV) {
        for (Srv srv : services.get(name)) {
          ByteBuffer rdata = ByteBuffer.allocate(512);
          rdata.putShort((short) 0).putShort((short) srv.weight()).putShort((short) srv.port()).put(name(srv.target()));
          answers.add(record(new byte[] {(byte) 0xc0, 12}, TYPE_SRV, slice(rdata)));
          additional.add(record(name(srv.target()), TYPE_A, srv.address().getAddress()));
        }
      }
    }
    for (List<Srv> records : services.values()) {
      for (Srv srv : records) {
        if (srv.target().equals(name)) {
          known = true;
          if (type == TYPE_A) {
            answers.add(record(new byte[] {(byte) 0xc0, 12}, TYPE_A, srv.address().getAddress()));
          }
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer header = ByteBuffer.allocate(12);
    header.putShort((short) id);
    header.putShort((short) (0x8000 | 0x0400 | 0x0080 | (flags & 0x0100) | (known ? 0 : 3)));
    header.putShort((short) 1).putShort((short) answers.size()).putShort((short) 0).putShort((short) additional.size());
    out.writeBytes(header.array());
    out.write(query.array(), 12, end - 12);
    answers.forEach(out::writeBytes);
    additional.forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static byte[] record(byte[] owner, int type, byte[] rdata) {
    ByteBuffer b = ByteBuffer.allocate(owner.length + 10 + rdata.length);
    b.put(owner).putShort((short) type).putShort((short) 1).putInt(TTL).putShort((short) rdata.length).put(rdata);
    return b.array();
  }

  private static byte[] name(String dotted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String label : dotted.split("\\.")) {
      out.write(label.length());
      out.writeBytes(label.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    out.write(0);
    return out.toByteArray();
  }

  private static byte[] slice(ByteBuffer b) {
    byte[] bytes = new byte[b.position()];
    b.flip().get(bytes);
    return bytes;
  }

  @Override
  public void close() {
    socket.close();
  }
}
