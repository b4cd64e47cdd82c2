package org.authmill.milter;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.parsetools.RecordParser;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bytes to milter packets and back. Every packet, both ways, is a big-endian {@code uint32} length
 * that counts the command byte, the command byte, and {@code length - 1} data bytes.
 *
 * <p>{@link #reader} frames a byte stream with a Vert.x {@link RecordParser} in fixed-size mode and
 * checks each length against {@link #maxPacketSize()} <em>before</em> waiting for (and so
 * buffering) the packet's data: a peer cannot make the server allocate more than the bound.
 */
public final class MilterCodec {
  private final int maxPacketSize;

  /**
   * A codec that accepts packets up to {@code maxPacketSize} bytes (command byte included).
   *
   * @throws IllegalArgumentException if the bound is below the 65536 bytes of a full body chunk
   */
  public MilterCodec(int maxPacketSize) {
    if (maxPacketSize < MilterProtocol.MAX_BODY_CHUNK + 1) {
      throw new IllegalArgumentException(
          "max packet size must be at least 65536 bytes: " + maxPacketSize);
    }
    this.maxPacketSize = maxPacketSize;
  }

  /** The largest packet accepted, in bytes, command byte included. */
  int maxPacketSize() {
    return maxPacketSize;
  }

  /**
   * A stream handler that cuts bytes into frames (the command byte and its data) and passes each to
   * {@code onFrame}. A length of 0 or above the bound is reported once to {@code onError}, and the
   * reader ignores everything after it: the caller closes the connection.
   */
  public Handler<Buffer> reader(Handler<Buffer> onFrame, Handler<MilterProtocolException> onError) {
    RecordParser parser = RecordParser.newFixed(4);
    parser.handler(
        new Handler<>() {
          private boolean expectLength = true;
          private boolean failed;

          @Override
          public void handle(Buffer record) {
            if (failed) {
              return;
            }
            if (expectLength) {
              long length = record.getUnsignedInt(0);
              if (length < 1 || length > maxPacketSize) {
                failed = true;
                onError.handle(
                    new MilterProtocolException(
                        "packet length "
                            + length
                            + (length < 1
                                ? " is below 1"
                                : " exceeds the limit of " + maxPacketSize + " bytes")));
                return;
              }
              expectLength = false;
              parser.fixedSizeMode((int) length);
            } else {
              expectLength = true;
              parser.fixedSizeMode(4);
              onFrame.handle(record);
            }
          }
        });
    return parser;
  }

  /** The wire bytes of a command (MTA to filter), length prefix included. */
  public static Buffer encode(MilterCommand command) {
    Buffer data = Buffer.buffer();
    if (command instanceof MilterCommand.Negotiate n) {
      data.appendInt(n.version()).appendInt(n.actions()).appendInt(n.protocol());
    } else if (command instanceof MilterCommand.Macros m) {
      data.appendByte((byte) m.forCommand());
      m.macros()
          .forEach(
              (name, value) -> {
                appendString(data, name);
                appendString(data, value);
              });
    } else if (command instanceof MilterCommand.Connect c) {
      appendString(data, c.hostname());
      data.appendByte((byte) c.family().code());
      if (c.family() != MilterCommand.Family.UNKNOWN) {
        data.appendUnsignedShort(c.port());
        appendString(data, c.address());
      }
    } else if (command instanceof MilterCommand.Helo h) {
      appendString(data, h.name());
    } else if (command instanceof MilterCommand.Mail m) {
      m.args().forEach(a -> appendString(data, a));
    } else if (command instanceof MilterCommand.Rcpt r) {
      r.args().forEach(a -> appendString(data, a));
    } else if (command instanceof MilterCommand.Header h) {
      appendString(data, h.name());
      appendString(data, h.value());
    } else if (command instanceof MilterCommand.Body b) {
      data.appendBytes(b.chunk());
    } else if (command instanceof MilterCommand.EndOfMessage e) {
      data.appendBytes(e.chunk());
    } else if (command instanceof MilterCommand.Unknown u) {
      appendString(data, u.line());
    }
    return frame(command.code(), data);
  }

  /** The wire bytes of a reply (filter to MTA), length prefix included. */
  static Buffer encode(MilterReply reply) {
    Buffer data = Buffer.buffer();
    char code = reply.code();
    if (reply instanceof MilterReply.Negotiate n) {
      data.appendInt(n.version()).appendInt(n.actions()).appendInt(n.protocol());
      n.macros()
          .forEach(
              (stage, names) -> {
                data.appendInt(stage);
                appendString(data, names);
              });
    } else if (reply instanceof MilterReply.ReplyCode y) {
      appendString(data, y.text());
    } else if (reply instanceof MilterReply.Quarantine q) {
      appendString(data, q.reason());
    } else if (reply instanceof MilterReply.AddHeader h) {
      appendString(data, h.name());
      appendString(data, h.value());
    } else if (reply instanceof MilterReply.InsertHeader i) {
      data.appendInt(i.index());
      appendString(data, i.name());
      appendString(data, i.value());
    } else if (reply instanceof MilterReply.ChangeHeader m) {
      data.appendInt(m.index());
      appendString(data, m.name());
      appendString(data, m.value());
    } else if (reply instanceof MilterReply.OtherModification o) {
      data.appendBytes(o.data());
      code = o.code();
    }
    return frame(code, data);
  }

  /**
   * The command in one frame (command byte and data, no length prefix), as {@link #reader} cuts it.
   *
   * @throws MilterProtocolException if the frame is malformed
   */
  static MilterCommand decodeCommand(Buffer frame) {
    Cursor in = new Cursor(frame);
    char code = (char) (frame.getByte(0) & 0xFF);
    MilterCommand command =
        switch (code) {
          case 'O' -> new MilterCommand.Negotiate(in.int32(), in.int32(), in.int32());
          case 'D' -> {
            if (!in.hasMore()) {
              throw new MilterProtocolException("macro packet without its command byte");
            }
            char forCommand = (char) in.byte8();
            Map<String, String> macros = new LinkedHashMap<>();
            while (in.hasMore()) {
              String name = in.string();
              if (!in.hasMore()) {
                throw new MilterProtocolException("macro " + name + " has no value");
              }
              macros.put(name, in.string());
            }
            yield new MilterCommand.Macros(forCommand, macros);
          }
          case 'C' -> {
            String host = in.string();
            int familyByte = in.byte8();
            MilterCommand.Family family = MilterCommand.Family.of(familyByte);
            if (family == null) {
              throw new MilterProtocolException(
                  "unknown address family " + printable((char) familyByte) + " in CONNECT");
            }
            if (family == MilterCommand.Family.UNKNOWN) {
              yield new MilterCommand.Connect(host, family, 0, "");
            }
            int port = in.uint16();
            String address = in.hasMore() ? in.string() : "";
            yield new MilterCommand.Connect(host, family, port, address);
          }
          case 'H' -> new MilterCommand.Helo(in.string());
          case 'M' -> new MilterCommand.Mail(in.argv("MAIL"));
          case 'R' -> new MilterCommand.Rcpt(in.argv("RCPT"));
          case 'T' -> new MilterCommand.Data();
          case 'L' -> new MilterCommand.Header(in.string(), in.string());
          case 'N' -> new MilterCommand.EndOfHeaders();
          case 'B' -> new MilterCommand.Body(in.rest());
          case 'E' -> new MilterCommand.EndOfMessage(in.rest());
          case 'A' -> new MilterCommand.Abort();
          case 'Q' -> new MilterCommand.Quit();
          case 'K' -> new MilterCommand.QuitNewConnection();
          case 'U' -> new MilterCommand.Unknown(in.string());
          default ->
              throw new MilterProtocolException("unknown command " + printable(code) + " from MTA");
        };
    in.expectEnd(code, command);
    return command;
  }

  /**
   * The reply in one frame (reply byte and data, no length prefix).
   *
   * @throws MilterProtocolException if the frame is malformed
   */
  public static MilterReply decodeReply(Buffer frame) {
    Cursor in = new Cursor(frame);
    char code = (char) (frame.getByte(0) & 0xFF);
    MilterReply reply =
        switch (code) {
          case 'O' -> {
            int version = in.int32();
            int actions = in.int32();
            int protocol = in.int32();
            Map<Integer, String> macros = new LinkedHashMap<>();
            while (in.hasMore()) {
              macros.put(in.int32(), in.string());
            }
            yield new MilterReply.Negotiate(version, actions, protocol, macros);
          }
          case 'c' -> new MilterReply.Continue();
          case 'a' -> new MilterReply.Accept();
          case 'r' -> new MilterReply.Reject();
          case 't' -> new MilterReply.Tempfail();
          case 'd' -> new MilterReply.Discard();
          case 'p' -> new MilterReply.Progress();
          case 's' -> new MilterReply.Skip();
          case 'f' -> new MilterReply.ConnFail();
          case 'y' -> new MilterReply.ReplyCode(in.string());
          case 'q' -> new MilterReply.Quarantine(in.string());
          case 'h' -> new MilterReply.AddHeader(in.string(), in.string());
          case 'i' -> new MilterReply.InsertHeader(in.int32(), in.string(), in.string());
          case 'm' -> new MilterReply.ChangeHeader(in.int32(), in.string(), in.string());
          case '+', '-', '2', 'e', 'b' -> new MilterReply.OtherModification(code, in.rest());
          default ->
              throw new MilterProtocolException(
                  "unknown reply " + printable(code) + " from filter");
        };
    in.expectEnd(code, null);
    return reply;
  }

  private static Buffer frame(char code, Buffer data) {
    return Buffer.buffer(5 + data.length())
        .appendInt(data.length() + 1)
        .appendByte((byte) code)
        .appendBuffer(data);
  }

  private static void appendString(Buffer data, String s) {
    if (s.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a milter string cannot hold NUL: " + s);
    }
    data.appendBytes(s.getBytes(StandardCharsets.ISO_8859_1)).appendByte((byte) 0);
  }

  private static String printable(char c) {
    return c >= 0x21 && c < 0x7F ? "'" + c + "'" : String.format("0x%02x", (int) c);
  }

  /** Reads a frame's data after its command byte. */
  private static final class Cursor {
    // The frame's bytes, copied once: reading them through Buffer checks bounds and the reference
    // count on every byte.
    private final byte[] frame;
    private int pos = 1;

    Cursor(Buffer frame) {
      if (frame.length() < 1) {
        throw new MilterProtocolException("empty packet");
      }
      this.frame = frame.getBytes();
    }

    boolean hasMore() {
      return pos < frame.length;
    }

    int byte8() {
      need(1, "a byte");
      return frame[pos++] & 0xFF;
    }

    int uint16() {
      need(2, "a 16-bit port");
      int v = (frame[pos] & 0xFF) << 8 | frame[pos + 1] & 0xFF;
      pos += 2;
      return v;
    }

    int int32() {
      need(4, "a 32-bit integer");
      int v =
          (frame[pos] & 0xFF) << 24
              | (frame[pos + 1] & 0xFF) << 16
              | (frame[pos + 2] & 0xFF) << 8
              | frame[pos + 3] & 0xFF;
      pos += 4;
      return v;
    }

    String string() {
      int end = pos;
      while (end < frame.length && frame[end] != 0) {
        end++;
      }
      if (end >= frame.length) {
        throw new MilterProtocolException(
            "string not terminated by NUL in packet " + printable((char) frame[0]));
      }
      String s = new String(frame, pos, end - pos, StandardCharsets.ISO_8859_1);
      pos = end + 1;
      return s;
    }

    List<String> argv(String what) {
      List<String> args = new ArrayList<>();
      while (hasMore()) {
        args.add(string());
      }
      if (args.isEmpty()) {
        throw new MilterProtocolException(what + " packet without arguments");
      }
      return args;
    }

    byte[] rest() {
      byte[] bytes = Arrays.copyOfRange(frame, pos, frame.length);
      pos = frame.length;
      return bytes;
    }

    void need(int n, String what) {
      if (frame.length - pos < n) {
        throw new MilterProtocolException(
            "packet " + printable((char) frame[0]) + " too short for " + what);
      }
    }

    void expectEnd(char code, MilterCommand command) {
      // Commands without data tolerate trailing bytes (libmilter ignores them); others must be
      // exact, since a stray byte means the peer and we disagree on the format.
      if (hasMore() && !"TNAQK".contains(String.valueOf(code))) {
        throw new MilterProtocolException(
            (frame.length - pos) + " unexpected bytes at the end of packet " + printable(code));
      }
    }
  }
}
