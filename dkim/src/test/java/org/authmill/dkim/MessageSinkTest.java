package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MessageSinkTest {
  private static final class Recorder implements MessageSink {
    final List<String> fields = new ArrayList<>();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int ends;

    @Override
    public void header(byte[] field, int offset, int length) {
      fields.add(new String(field, offset, length, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void endOfHeaders() {
      ends++;
    }

    @Override
    public void body(byte[] bytes, int offset, int length) {
      body.write(bytes, offset, length);
    }
  }

  private static Recorder feed(String message) throws IOException {
    Recorder recorder = new Recorder();
    MessageSink.feed(
        new ByteArrayInputStream(message.getBytes(StandardCharsets.ISO_8859_1)), recorder, 1 << 20);
    assertThat(recorder.ends).isEqualTo(1);
    return recorder;
  }

  @Test
  void feed_foldedFieldsAndBody() throws IOException {
    Recorder r = feed("A: 1\r\nB: 2\r\n\t3\r\nC:4\r\n\r\nbody\r\n\r\n");
    assertThat(r.fields).containsExactly("A: 1", "B: 2\r\n\t3", "C:4");
    assertThat(r.body.toString(StandardCharsets.ISO_8859_1)).isEqualTo("body\r\n\r\n");
  }

  @Test
  void feed_noBodyOrNoSeparator() throws IOException {
    assertThat(feed("A: 1\r\nB: 2").fields).containsExactly("A: 1", "B: 2");
    assertThat(feed("A: 1\r\n\r\n").body.size()).isZero();
    assertThat(feed("").fields).isEmpty();
  }

  @Test
  void feed_largeBodyInChunks() throws IOException {
    String body = "x".repeat(200_000);
    assertThat(feed("A: 1\r\n\r\n" + body).body.size()).isEqualTo(200_000);
  }
}
