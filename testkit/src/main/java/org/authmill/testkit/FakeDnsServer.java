package org.authmill.testkit;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.xbill.DNS.CNAMERecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.OPTRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A misbehaving "name server" on 127.0.0.1 for DNS fault tests, over UDP and TCP on one port. A
 * {@link Responder} decides, query by query, what comes back: nothing (a timeout), an RCODE such as
 * SERVFAIL, records, a CNAME, an answer after a delay, or, over UDP, a truncated answer that sends
 * the client to TCP (RFC 7766 §5; any UDP answer larger than 512 octets, or than the query's EDNS
 * size, is truncated this way). It counts the queries it received by transport.
 *
 * <p>NSD serves the well-behaved cases; this server exists for the ones a real server will not
 * produce on demand.
 */
public final class FakeDnsServer implements AutoCloseable {
  /** One question as the server received it. */
  public record Query(Name name, int type, boolean tcp) {
    /** The name as text, lower case, without the final dot. */
    public String nameText() {
      String text = name.toString(true);
      return text.toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** What to do with one query. */
  public sealed interface Reply {
    /** No answer at all: the client times out. */
    record Drop() implements Reply {}

    /** A response with this RCODE and no records. */
    record Code(int rcode) implements Reply {}

    /** A NOERROR response with these answer records (an empty list is NODATA). */
    record Answer(List<Record> records) implements Reply {
      /** Copies. */
      public Answer {
        records = List.copyOf(records);
      }
    }

    /** The reply, sent after a delay. */
    record Delayed(Duration delay, Reply reply) implements Reply {}

    /** Over UDP a response with the TC flag and no records; over TCP the reply itself. */
    record TruncatedOverUdp(Reply reply) implements Reply {}
  }

  /** Decides the reply to each query. */
  @FunctionalInterface
  public interface Responder extends Function<Query, Reply> {}

  private final DatagramSocket udp;
  private final ServerSocket tcp;
  private final Responder responder;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "fake-dns-timer");
            t.setDaemon(true);
            return t;
          });
  private final List<Socket> connections = new CopyOnWriteArrayList<>();
  private final AtomicInteger udpQueries = new AtomicInteger();
  private final AtomicInteger tcpQueries = new AtomicInteger();

  private FakeDnsServer(Responder responder) throws IOException {
    this.responder = Objects.requireNonNull(responder, "responder");
    int port = FreePort.tcpAndUdp();
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    this.udp = new DatagramSocket(new InetSocketAddress(loopback, port));
    this.tcp = new ServerSocket();
    tcp.setReuseAddress(true);
    tcp.bind(new InetSocketAddress(loopback, port), 50);
    daemon("fake-dns-udp", this::serveUdp);
    daemon("fake-dns-tcp", this::serveTcp);
  }

  /** A server that answers every query as the responder says. */
  public static FakeDnsServer start(Responder responder) throws IOException {
    return new FakeDnsServer(responder);
  }

  /** A server that reads queries and never answers. */
  public static FakeDnsServer silent() throws IOException {
    return start(q -> new Reply.Drop());
  }

  /** A server that answers every query with this RCODE and nothing else. */
  public static FakeDnsServer answering(int rcode) throws IOException {
    return start(q -> new Reply.Code(rcode));
  }

  /** The address to send queries to. */
  public InetSocketAddress address() {
    return new InetSocketAddress(udp.getLocalAddress(), udp.getLocalPort());
  }

  /** Queries received so far, over UDP and TCP. */
  public int queries() {
    return udpQueries.get() + tcpQueries.get();
  }

  /** Queries received so far over TCP. */
  public int tcpQueries() {
    return tcpQueries.get();
  }

  // -------------------------------------------------------------------------------------------
  // Building replies

  /** TXT records at a name, each text one record, split into 255-octet strings as needed. */
  public static Reply txt(Query q, long ttl, String... texts) {
    List<Record> records = new ArrayList<>();
    for (String text : texts) {
      List<byte[]> strings = new ArrayList<>();
      byte[] bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      for (int i = 0; i < bytes.length || i == 0; i += 255) {
        strings.add(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + 255)));
      }
      records.add(new TXTRecord(q.name(), DClass.IN, ttl, toStrings(strings)));
    }
    return new Reply.Answer(records);
  }

  private static List<String> toStrings(List<byte[]> parts) {
    // dnsjava's TXTRecord takes strings in master-file escaping; ISO-8859-1 with escapes keeps
    // every octet as it is.
    List<String> out = new ArrayList<>();
    for (byte[] part : parts) {
      StringBuilder s = new StringBuilder();
      for (byte b : part) {
        int c = b & 0xFF;
        if (c < 0x20 || c > 0x7E || c == '"' || c == '\\') {
          s.append('\\').append(String.format("%03d", c));
        } else {
          s.append((char) c);
        }
      }
      out.add(s.toString());
    }
    return out;
  }

  /** A CNAME from the queried name to the target. */
  public static Reply cname(Query q, String target) {
    try {
      return new Reply.Answer(
          List.of(new CNAMERecord(q.name(), DClass.IN, 60, Name.fromString(target, Name.root))));
    } catch (TextParseException e) {
      throw new IllegalArgumentException("not a name: " + target, e);
    }
  }

  // -------------------------------------------------------------------------------------------
  // Serving

  private static void daemon(String name, Runnable body) {
    Thread t = new Thread(body, name);
    t.setDaemon(true);
    t.start();
  }

  private void serveUdp() {
    byte[] buffer = new byte[4096];
    while (!udp.isClosed()) {
      DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
      try {
        udp.receive(packet);
      } catch (IOException e) {
        return;
      }
      udpQueries.incrementAndGet();
      Message query;
      try {
        query = new Message(Arrays.copyOf(packet.getData(), packet.getLength()));
      } catch (IOException e) {
        continue;
      }
      java.net.SocketAddress client = packet.getSocketAddress();
      respond(
          query,
          false,
          wire -> {
            try {
              udp.send(new DatagramPacket(wire, wire.length, client));
            } catch (IOException e) {
              // the client is gone
            }
          });
    }
  }

  private void serveTcp() {
    while (!tcp.isClosed()) {
      Socket s;
      try {
        s = tcp.accept();
      } catch (IOException e) {
        return;
      }
      connections.add(s);
      daemon("fake-dns-tcp-conn", () -> serveConnection(s));
    }
  }

  private void serveConnection(Socket s) {
    try (s;
        DataInputStream in = new DataInputStream(s.getInputStream());
        DataOutputStream out = new DataOutputStream(s.getOutputStream())) {
      while (true) {
        int length = in.readUnsignedShort();
        byte[] wire = new byte[length];
        in.readFully(wire);
        tcpQueries.incrementAndGet();
        respond(
            new Message(wire),
            true,
            response -> {
              synchronized (out) {
                try {
                  out.writeShort(response.length);
                  out.write(response);
                  out.flush();
                } catch (IOException e) {
                  // the client is gone
                }
              }
            });
      }
    } catch (IOException e) {
      // connection closed
    } finally {
      connections.remove(s);
    }
  }

  private void respond(Message query, boolean overTcp, java.util.function.Consumer<byte[]> send) {
    Record question = query.getQuestion();
    if (question == null) {
      return;
    }
    Reply reply = responder.apply(new Query(question.getName(), question.getType(), overTcp));
    send(query, overTcp, reply, send);
  }

  private void send(
      Message query, boolean overTcp, Reply reply, java.util.function.Consumer<byte[]> send) {
    if (reply instanceof Reply.Drop) {
      return;
    }
    if (reply instanceof Reply.Delayed d) {
      timer.schedule(
          () -> send(query, overTcp, d.reply(), send), d.delay().toMillis(), TimeUnit.MILLISECONDS);
      return;
    }
    if (reply instanceof Reply.TruncatedOverUdp t) {
      if (overTcp) {
        send(query, true, t.reply(), send);
      } else {
        send.accept(truncated(query).toWire());
      }
      return;
    }
    Message response = response(query);
    if (reply instanceof Reply.Code c) {
      response.getHeader().setRcode(c.rcode());
    } else {
      for (Record r : ((Reply.Answer) reply).records()) {
        response.addRecord(r, Section.ANSWER);
      }
    }
    byte[] wire = response.toWire();
    if (!overTcp && wire.length > udpLimit(query)) {
      wire = truncated(query).toWire();
    }
    send.accept(wire);
  }

  private static int udpLimit(Message query) {
    OPTRecord opt = query.getOPT();
    return opt == null ? 512 : Math.max(512, opt.getPayloadSize());
  }

  private static Message response(Message query) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setFlag(Flags.AA);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    response.getHeader().setRcode(Rcode.NOERROR);
    response.addRecord(query.getQuestion(), Section.QUESTION);
    return response;
  }

  private static Message truncated(Message query) {
    Message m = response(query);
    m.getHeader().setFlag(Flags.TC);
    return m;
  }

  @Override
  public void close() {
    udp.close();
    try {
      tcp.close();
    } catch (IOException e) {
      // closing anyway
    }
    for (Socket s : connections) {
      try {
        s.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
    timer.shutdownNow();
  }

  /** The RCODE's mnemonic (SERVFAIL, ...). */
  public static String rcodeName(int rcode) {
    return Rcode.string(rcode);
  }

  /** The type's mnemonic (TXT, ...). */
  public static String typeName(int type) {
    return Type.string(type);
  }
}
