package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The milter codec on any bytes: the reader cuts the same frames (or stops at the same error)
 * however the bytes are split, never a frame over the bound; a frame decodes to a command (or a
 * reply) or a {@link MilterProtocolException}, nothing else; and what decodes, encodes to bytes
 * that decode to the same thing again.
 */
class MilterCodecFuzzTest {
  /** The smallest bound the codec allows, so that the fuzzer reaches it. */
  private static final int MAX = MilterProtocol.MAX_BODY_CHUNK + 1;

  /** What the reader made of a stream: frames, and the error that stopped it, if any. */
  private record Framing(List<String> frames, String error, long framedBytes) {}

  private static Framing frame(byte[] stream, int seed) {
    List<String> frames = new ArrayList<>();
    String[] error = {null};
    long[] framed = {0};
    Handler<Buffer> reader =
        new MilterCodec(MAX)
            .reader(
                f -> {
                  assertThat(error[0]).as("a frame after the error").isNull();
                  assertThat(f.length()).isBetween(1, MAX);
                  framed[0] += 4 + f.length();
                  frames.add(Arrays.toString(f.getBytes()));
                },
                e -> {
                  assertThat(error[0]).as("a second error").isNull();
                  error[0] = e.getMessage();
                });
    int pos = 0;
    int state = seed | 1;
    while (pos < stream.length) {
      int size = stream.length;
      if (seed != 0) {
        state = state * 1103515245 + 12345;
        size = 1 + ((state >>> 16) & 0x7F);
      }
      int end = Math.min(stream.length, pos + size);
      reader.handle(Buffer.buffer(Arrays.copyOfRange(stream, pos, end)));
      pos = end;
    }
    return new Framing(frames, error[0], framed[0]);
  }

  @FuzzTest(maxDuration = "30s")
  void reader_anyBytesAnySplit_sameFramesOrTheSameError(byte[] input) {
    if (input.length == 0) {
      return;
    }
    byte[] stream = Arrays.copyOfRange(input, 1, input.length);
    Framing whole = frame(stream, 0);
    Framing split = frame(stream, input[0]);
    assertThat(split).isEqualTo(whole);
    assertThat(whole.framedBytes()).isLessThanOrEqualTo(stream.length);
    if (whole.error() != null) {
      assertThat(whole.error()).startsWith("packet length");
    }
  }

  @FuzzTest(maxDuration = "30s")
  void decodeCommand_anyFrame_commandThatEncodesBackOrProtocolError(byte[] frame) {
    if (frame.length == 0) {
      return; // the reader never hands out an empty frame
    }
    MilterCommand command;
    try {
      command = MilterCodec.decodeCommand(Buffer.buffer(frame));
    } catch (MilterProtocolException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    Buffer wire = MilterCodec.encode(command);
    assertThat(wire.getInt(0)).isEqualTo(wire.length() - 4);
    MilterCommand again = MilterCodec.decodeCommand(wire.slice(4, wire.length()));
    assertThat(MilterCodec.encode(again).getBytes()).isEqualTo(wire.getBytes());
    assertThat(again.code()).isEqualTo(command.code());
  }

  @FuzzTest(maxDuration = "30s")
  void decodeReply_anyFrame_replyThatEncodesBackOrProtocolError(byte[] frame) {
    if (frame.length == 0) {
      return;
    }
    MilterReply reply;
    try {
      reply = MilterCodec.decodeReply(Buffer.buffer(frame));
    } catch (MilterProtocolException e) {
      assertThat(e.getMessage()).isNotBlank();
      return;
    }
    Buffer wire = MilterCodec.encode(reply);
    assertThat(wire.getInt(0)).isEqualTo(wire.length() - 4);
    MilterReply again = MilterCodec.decodeReply(wire.slice(4, wire.length()));
    assertThat(MilterCodec.encode(again).getBytes()).isEqualTo(wire.getBytes());
  }
}
