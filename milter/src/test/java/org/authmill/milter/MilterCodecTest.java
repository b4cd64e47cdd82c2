package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MilterCodecTest {

  /** Bytes from ints (each 0..255) and strings (ASCII), for readable fixtures. */
  private static byte[] bytes(Object... parts) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    for (Object p : parts) {
      if (p instanceof Integer i) {
        out.write(i);
      } else {
        out.writeBytes(((String) p).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      }
    }
    return out.toByteArray();
  }

  private static MilterCommand command(byte[] wire) {
    List<Buffer> frames = new ArrayList<>();
    Handler<Buffer> reader =
        new MilterCodec(MilterSettings.DEFAULT_PACKET_SIZE)
            .reader(
                frames::add,
                e -> {
                  throw e;
                });
    reader.handle(Buffer.buffer(wire));
    assertThat(frames).hasSize(1);
    return MilterCodec.decodeCommand(frames.get(0));
  }

  private static byte[] wire(MilterCommand c) {
    return MilterCodec.encode(c).getBytes();
  }

  private static byte[] wire(MilterReply r) {
    return MilterCodec.encode(r).getBytes();
  }

  @Test
  void decodeCommand_optionNegotiationAsPostfixSendsIt() {
    byte[] fixture = bytes(0, 0, 0, 13, "O", 0, 0, 0, 6, 0, 0, 1, 0xFF, 0, 0x1F, 0xFF, 0xFF);
    MilterCommand c = command(fixture);
    assertThat(c).isEqualTo(new MilterCommand.Negotiate(6, 0x1FF, 0x1FFFFF));
    assertThat(wire(c)).isEqualTo(fixture);
  }

  @Test
  void decodeCommand_macrosWithPairs() {
    assertThatThrownBy(
            () -> command(bytes(0, 0, 0, 26, "D", "C", "j", 0, "mx.test", 0, "{daemon_name}", 0)))
        .isInstanceOf(MilterProtocolException.class)
        .hasMessageContaining("no value");
    byte[] good =
        bytes(0, 0, 0, 32, "D", "C", "j", 0, "mx.test", 0, "{daemon_name}", 0, "smtpd", 0);
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("j", "mx.test");
    expected.put("{daemon_name}", "smtpd");
    MilterCommand c = command(good);
    assertThat(c).isEqualTo(new MilterCommand.Macros('C', expected));
    assertThat(wire(c)).isEqualTo(good);
  }

  @Test
  void decodeCommand_emptyMacroPacket() {
    byte[] fixture = bytes(0, 0, 0, 2, "D", "H");
    MilterCommand c = command(fixture);
    assertThat(c).isEqualTo(new MilterCommand.Macros('H', Map.of()));
    assertThat(wire(c)).isEqualTo(fixture);
  }

  @Test
  void decodeCommand_connectIpv4() {
    byte[] fixture = bytes(0, 0, 0, 24, "C", "localhost", 0, "4", 0x30, 0x39, "127.0.0.1", 0);
    MilterCommand c = command(fixture);
    assertThat(c)
        .isEqualTo(
            new MilterCommand.Connect("localhost", MilterCommand.Family.INET, 12345, "127.0.0.1"));
    assertThat(wire(c)).isEqualTo(fixture);
  }

  @Test
  void decodeCommand_connectIpv6AndUnixAndUnknown() {
    byte[] v6 = bytes(0, 0, 0, 10, "C", "h", 0, "6", 0, 25, "::1", 0);
    assertThat(command(v6))
        .isEqualTo(new MilterCommand.Connect("h", MilterCommand.Family.INET6, 25, "::1"));
    byte[] unix = bytes(0, 0, 0, 16, "C", "h", 0, "L", 0, 0, "/run/sock", 0);
    assertThat(command(unix))
        .isEqualTo(new MilterCommand.Connect("h", MilterCommand.Family.UNIX, 0, "/run/sock"));
    byte[] unknown = bytes(0, 0, 0, 12, "C", "localhost", 0, "U");
    MilterCommand c = command(unknown);
    assertThat(c)
        .isEqualTo(new MilterCommand.Connect("localhost", MilterCommand.Family.UNKNOWN, 0, ""));
    assertThat(wire(c)).isEqualTo(unknown);
  }

  @Test
  void decodeCommand_connectWithBadFamilyIsAnError() {
    assertThatThrownBy(() -> command(bytes(0, 0, 0, 4, "C", "h", 0, "X")))
        .isInstanceOf(MilterProtocolException.class)
        .hasMessageContaining("address family 'X'");
  }

  @Test
  void decodeCommand_heloMailRcpt() {
    byte[] helo = bytes(0, 0, 0, 10, "H", "mail.org", 0);
    assertThat(command(helo)).isEqualTo(new MilterCommand.Helo("mail.org"));
    byte[] mail = bytes(0, 0, 0, 22, "M", "<a@b.example>", 0, "SIZE=9", 0);
    MilterCommand m = command(mail);
    assertThat(m).isEqualTo(new MilterCommand.Mail(List.of("<a@b.example>", "SIZE=9")));
    assertThat(wire(m)).isEqualTo(mail);
    byte[] nullSender = bytes(0, 0, 0, 4, "M", "<>", 0);
    assertThat(command(nullSender)).isEqualTo(new MilterCommand.Mail(List.of("<>")));
    byte[] rcpt = bytes(0, 0, 0, 7, "R", "<c@d>", 0);
    assertThat(command(rcpt)).isEqualTo(new MilterCommand.Rcpt(List.of("<c@d>")));
  }

  @Test
  void decodeCommand_mailWithoutArgumentsIsAnError() {
    assertThatThrownBy(() -> command(bytes(0, 0, 0, 1, "M")))
        .isInstanceOf(MilterProtocolException.class)
        .hasMessageContaining("MAIL packet without arguments");
  }

  @Test
  void decodeCommand_headerWithFoldedValueAndEightBitBytes() {
    byte[] fixture = bytes(0, 0, 0, 16, "L", "Subject", 0, " a\n\tb", 0xE9, 0);
    MilterCommand c = command(fixture);
    assertThat(c).isEqualTo(new MilterCommand.Header("Subject", " a\n\tb\u00e9"));
    assertThat(wire(c)).isEqualTo(fixture);
  }

  @Test
  void decodeCommand_headerWithoutValueTerminatorIsAnError() {
    assertThatThrownBy(() -> command(bytes(0, 0, 0, 5, "L", "To", 0, "x")))
        .isInstanceOf(MilterProtocolException.class)
        .hasMessageContaining("not terminated");
  }

  @Test
  void decodeCommand_emptyCommands() {
    assertThat(command(bytes(0, 0, 0, 1, "T"))).isEqualTo(new MilterCommand.Data());
    assertThat(command(bytes(0, 0, 0, 1, "N"))).isEqualTo(new MilterCommand.EndOfHeaders());
    assertThat(command(bytes(0, 0, 0, 1, "A"))).isEqualTo(new MilterCommand.Abort());
    assertThat(command(bytes(0, 0, 0, 1, "Q"))).isEqualTo(new MilterCommand.Quit());
    assertThat(command(bytes(0, 0, 0, 1, "K"))).isEqualTo(new MilterCommand.QuitNewConnection());
    assertThat(command(bytes(0, 0, 0, 1, "E")))
        .isEqualTo(new MilterCommand.EndOfMessage(new byte[0]));
  }

  @Test
  void decodeCommand_bodyAndEndOfMessageWithChunk() {
    byte[] body = bytes(0, 0, 0, 6, "B", "a\r", 0, 0xFF, "\n");
    assertThat(command(body)).isEqualTo(new MilterCommand.Body(bytes("a\r", 0, 0xFF, "\n")));
    byte[] eom = bytes(0, 0, 0, 3, "E", "\r\n");
    assertThat(command(eom)).isEqualTo(new MilterCommand.EndOfMessage(bytes("\r\n")));
  }

  @Test
  void decodeCommand_unknownSmtpCommand() {
    byte[] fixture = bytes(0, 0, 0, 6, "U", "XYZZ", 0);
    assertThat(command(fixture)).isEqualTo(new MilterCommand.Unknown("XYZZ"));
  }

  @Test
  void decodeCommand_unknownCommandByteIsAnError() {
    assertThatThrownBy(() -> command(bytes(0, 0, 0, 1, "Z")))
        .isInstanceOf(MilterProtocolException.class)
        .hasMessageContaining("unknown command 'Z'");
  }

  @Test
  void encodeReply_eachReplyAsBytes() {
    assertThat(wire(new MilterReply.Continue())).isEqualTo(bytes(0, 0, 0, 1, "c"));
    assertThat(wire(new MilterReply.Accept())).isEqualTo(bytes(0, 0, 0, 1, "a"));
    assertThat(wire(new MilterReply.Reject())).isEqualTo(bytes(0, 0, 0, 1, "r"));
    assertThat(wire(new MilterReply.Tempfail())).isEqualTo(bytes(0, 0, 0, 1, "t"));
    assertThat(wire(new MilterReply.Discard())).isEqualTo(bytes(0, 0, 0, 1, "d"));
    assertThat(wire(new MilterReply.Progress())).isEqualTo(bytes(0, 0, 0, 1, "p"));
    assertThat(wire(new MilterReply.Skip())).isEqualTo(bytes(0, 0, 0, 1, "s"));
    assertThat(wire(new MilterReply.ReplyCode("550 5.7.1 no")))
        .isEqualTo(bytes(0, 0, 0, 14, "y", "550 5.7.1 no", 0));
    assertThat(wire(new MilterReply.Quarantine("dmarc")))
        .isEqualTo(bytes(0, 0, 0, 7, "q", "dmarc", 0));
    assertThat(wire(new MilterReply.AddHeader("X-A", " v")))
        .isEqualTo(bytes(0, 0, 0, 8, "h", "X-A", 0, " v", 0));
    assertThat(wire(new MilterReply.InsertHeader(0, "A-R", " x\n\ty")))
        .isEqualTo(bytes(0, 0, 0, 15, "i", 0, 0, 0, 0, "A-R", 0, " x\n\ty", 0));
    assertThat(wire(new MilterReply.ChangeHeader(2, "Authentication-Results", "")))
        .isEqualTo(bytes(0, 0, 0, 29, "m", 0, 0, 0, 2, "Authentication-Results", 0, 0));
  }

  @Test
  void encodeReply_negotiationWithMacroRequest() {
    byte[] fixture =
        bytes(0, 0, 0, 19, "O", 0, 0, 0, 6, 0, 0, 0, 0x11, 0, 0x1B, 0x03, 0x80, 0, 0, 0, 5, "i", 0);
    MilterReply r = new MilterReply.Negotiate(6, 0x11, 0x1B0380, Map.of(5, "i"));
    assertThat(wire(r)).isEqualTo(fixture);
    assertThat(MilterCodec.decodeReply(Buffer.buffer(fixture).slice(4, fixture.length)))
        .isEqualTo(r);
  }

  @Test
  void decodeReply_everyKind() {
    for (MilterReply r :
        List.of(
            new MilterReply.Continue(),
            new MilterReply.ReplyCode("451 4.7.1 later"),
            new MilterReply.InsertHeader(3, "X", "y"),
            new MilterReply.ChangeHeader(1, "X", ""),
            new MilterReply.OtherModification('+', bytes("<a@b>", 0)),
            new MilterReply.ConnFail())) {
      Buffer b = MilterCodec.encode(r);
      assertThat(MilterCodec.decodeReply(b.slice(4, b.length()))).isEqualTo(r);
    }
  }

  @Test
  void encode_stringWithNulIsMisuse() {
    assertThatThrownBy(() -> MilterCodec.encode(new MilterCommand.Helo("a\0b")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void reader_packetsSplitAnywhereAndBackToBack() {
    byte[] two = bytes(0, 0, 0, 3, "H", "x", 0, 0, 0, 0, 1, "N");
    List<Buffer> frames = new ArrayList<>();
    Handler<Buffer> reader =
        new MilterCodec(MilterSettings.DEFAULT_PACKET_SIZE).reader(frames::add, e -> {});
    for (byte b : two) {
      reader.handle(Buffer.buffer(new byte[] {b}));
    }
    assertThat(frames).hasSize(2);
    assertThat(MilterCodec.decodeCommand(frames.get(0))).isEqualTo(new MilterCommand.Helo("x"));
    assertThat(MilterCodec.decodeCommand(frames.get(1)))
        .isEqualTo(new MilterCommand.EndOfHeaders());
  }

  @Test
  void reader_lengthOverTheBoundIsRejectedBeforeAnyData() {
    List<Buffer> frames = new ArrayList<>();
    List<MilterProtocolException> errors = new ArrayList<>();
    Handler<Buffer> reader = new MilterCodec(70_000).reader(frames::add, errors::add);
    // 0xFFFFFFFF: only the 4 length bytes arrive, and the error comes at once.
    reader.handle(Buffer.buffer(bytes(0xFF, 0xFF, 0xFF, 0xFF)));
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).hasMessageContaining("4294967295 exceeds the limit of 70000");
    reader.handle(Buffer.buffer(bytes(0, 0, 0, 1, "N")));
    assertThat(frames).isEmpty();
    assertThat(errors).hasSize(1);
  }

  @Test
  void reader_lengthZeroIsAnError() {
    List<MilterProtocolException> errors = new ArrayList<>();
    new MilterCodec(70_000).reader(f -> {}, errors::add).handle(Buffer.buffer(bytes(0, 0, 0, 0)));
    assertThat(errors)
        .singleElement()
        .satisfies(e -> assertThat(e).hasMessageContaining("below 1"));
  }

  @Test
  void reader_packetAtTheBoundIsAccepted() {
    int max = 70_000;
    byte[] chunk = new byte[max - 1];
    Buffer wire = MilterCodec.encode(new MilterCommand.Body(chunk));
    List<Buffer> frames = new ArrayList<>();
    new MilterCodec(max).reader(frames::add, e -> {}).handle(wire);
    assertThat(frames).singleElement().satisfies(f -> assertThat(f.length()).isEqualTo(max));
  }

  @Test
  void constructor_boundBelowABodyChunkIsMisuse() {
    assertThatThrownBy(() -> new MilterCodec(1000)).isInstanceOf(IllegalArgumentException.class);
  }
}
