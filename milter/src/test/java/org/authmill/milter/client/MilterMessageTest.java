package org.authmill.milter.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.authmill.milter.MilterReply;
import org.junit.jupiter.api.Test;

class MilterMessageTest {
  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void parse_foldedFieldsJoinedWithLfAndRawValues() {
    MilterMessage m =
        MilterMessage.parse(
            bytes("Subject:  two spaces\r\n\tand a fold\r\nX-Empty:\r\nTo : b@c\r\n\r\nbody\r\n"));
    assertThat(m.headers())
        .containsExactly(
            new MilterMessage.Field("Subject", "  two spaces\n\tand a fold"),
            new MilterMessage.Field("X-Empty", ""),
            new MilterMessage.Field("To", " b@c"));
    assertThat(new String(m.body(), StandardCharsets.ISO_8859_1)).isEqualTo("body\r\n");
  }

  @Test
  void parse_bareLfBecomesCrlfInTheBody() {
    MilterMessage m = MilterMessage.parse(bytes("A: b\n\nline1\nline2\r\n"));
    assertThat(m.headers()).containsExactly(new MilterMessage.Field("A", " b"));
    assertThat(new String(m.body(), StandardCharsets.ISO_8859_1)).isEqualTo("line1\r\nline2\r\n");
  }

  @Test
  void parse_noBodyNoBlankLine() {
    MilterMessage m = MilterMessage.parse(bytes("A: b\r\n"));
    assertThat(m.headers()).hasSize(1);
    assertThat(m.body()).isEmpty();
  }

  @Test
  void apply_modificationsAsPostfixWould() {
    List<MilterMessage.Field> original =
        List.of(
            new MilterMessage.Field("A", " 1"),
            new MilterMessage.Field("b", " 2"),
            new MilterMessage.Field("A", " 3"));
    MilterResult r =
        new MilterResult(
            "eom",
            new MilterReply.Continue(),
            List.of(
                new MilterReply.ChangeHeader(2, "a", ""),
                new MilterReply.ChangeHeader(1, "B", " two"),
                new MilterReply.InsertHeader(0, "Top", " t"),
                new MilterReply.AddHeader("End", " e")),
            Optional.empty(),
            0);
    assertThat(r.apply(original))
        .containsExactly(
            new MilterMessage.Field("Top", " t"),
            new MilterMessage.Field("A", " 1"),
            new MilterMessage.Field("b", " two"),
            new MilterMessage.Field("End", " e"));
    assertThat(r.delivered()).isTrue();
  }
}
