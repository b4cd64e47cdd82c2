package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CrlfInputStreamTest {
  private static String convert(String in, int chunk) throws IOException {
    CrlfInputStream stream =
        new CrlfInputStream(new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)));
    StringBuilder out = new StringBuilder();
    byte[] buffer = new byte[chunk];
    int n;
    while ((n = stream.read(buffer, 0, chunk)) >= 0) {
      out.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
    }
    return out.toString();
  }

  @Test
  void read_bareLfBecomesCrlf() throws IOException {
    for (int chunk : new int[] {1, 2, 3, 4096}) {
      assertThat(convert("a\nb\r\nc\rd\n\n", chunk)).isEqualTo("a\r\nb\r\nc\rd\r\n\r\n");
      assertThat(convert("", chunk)).isEmpty();
    }
  }

  @Test
  void read_singleBytes() throws IOException {
    CrlfInputStream stream = new CrlfInputStream(new ByteArrayInputStream("\n".getBytes()));
    assertThat(stream.read()).isEqualTo('\r');
    assertThat(stream.read()).isEqualTo('\n');
    assertThat(stream.read()).isEqualTo(-1);
  }
}
