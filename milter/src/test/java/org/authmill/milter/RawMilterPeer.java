package org.authmill.milter;

import io.vertx.core.buffer.Buffer;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A milter "MTA" on a plain blocking socket, for tests that break the protocol on purpose: it
 * writes whatever bytes it is told to, and reads replies (or the end of the connection) with a
 * bounded wait. Nothing here is polite: it is the hostile client.
 */
public final class RawMilterPeer implements AutoCloseable {
  private final Socket socket;
  private final OutputStream out;
  private final DataInputStream in;

  private RawMilterPeer(Socket socket) throws IOException {
    this.socket = socket;
    this.out = socket.getOutputStream();
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Connects to the server on 127.0.0.1, reads waiting at most {@code readTimeout}. */
  public static RawMilterPeer connect(int port, Duration readTimeout) throws IOException {
    Socket s = new Socket();
    s.setTcpNoDelay(true);
    s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
    s.setSoTimeout((int) readTimeout.toMillis());
    return new RawMilterPeer(s);
  }

  /** The socket, for tests that need its options. */
  public Socket socket() {
    return socket;
  }

  /** A packet: the length (command byte included), the command byte, the data. */
  public static byte[] packet(char command, byte[] data) {
    return ByteBuffer.allocate(5 + data.length)
        .putInt(data.length + 1)
        .put((byte) command)
        .put(data)
        .array();
  }

  /** The data of a string argument list: each string NUL-terminated (ISO-8859-1). */
  public static byte[] strings(String... values) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (String v : values) {
      b.writeBytes(v.getBytes(StandardCharsets.ISO_8859_1));
      b.write(0);
    }
    return b.toByteArray();
  }

  /** The option negotiation packet: version, actions, protocol flags. */
  public static byte[] negotiate(int version, int actions, int protocol) {
    return packet(
        'O', ByteBuffer.allocate(12).putInt(version).putInt(actions).putInt(protocol).array());
  }

  /** A CONNECT packet for an IPv4 client. */
  public static byte[] connectPacket(String host, String address) {
    byte[] name = strings(host);
    byte[] addr = strings(address);
    return packet(
        'C',
        ByteBuffer.allocate(name.length + 3 + addr.length)
            .put(name)
            .put((byte) '4')
            .putShort((short) 25)
            .put(addr)
            .array());
  }

  /** Writes raw bytes. */
  public RawMilterPeer write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Negotiates offering every action and no protocol flags (so every event gets a reply). */
  public MilterReply.Negotiate negotiate() throws IOException {
    write(negotiate(MilterProtocol.VERSION, MilterProtocol.ALL_ACTIONS, 0));
    MilterReply r = read();
    if (!(r instanceof MilterReply.Negotiate n)) {
      throw new IOException("expected a negotiation reply, got " + r);
    }
    return n;
  }

  /** Reads one reply, waiting at most the read timeout. */
  public MilterReply read() throws IOException {
    int length = in.readInt();
    if (length < 1 || length > MilterSettings.DEFAULT_PACKET_SIZE) {
      throw new IOException("reply length " + length);
    }
    byte[] frame = new byte[length];
    in.readFully(frame);
    return MilterCodec.decodeReply(Buffer.buffer(frame));
  }

  /**
   * Waits until the server closes the connection, reading (and discarding) whatever it still sends;
   * true when it closed within {@code within}, false when it was still open.
   */
  public boolean awaitClosed(Duration within) throws IOException {
    long end = System.nanoTime() + within.toNanos();
    int timeout = socket.getSoTimeout();
    socket.setSoTimeout(100);
    try {
      return readUntilClosed(end);
    } finally {
      if (!socket.isClosed()) {
        socket.setSoTimeout(timeout);
      }
    }
  }

  private boolean readUntilClosed(long end) throws IOException {
    InputStream raw = socket.getInputStream();
    byte[] sink = new byte[8192];
    while (System.nanoTime() < end) {
      try {
        if (raw.read(sink) < 0) {
          return true;
        }
      } catch (SocketTimeoutException e) {
        // keep waiting until the bound
      } catch (EOFException | SocketException e) {
        return true; // reset by the server
      }
    }
    return false;
  }

  /** Half-closes: no more bytes from this side. */
  public void shutdownOutput() throws IOException {
    socket.shutdownOutput();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
