package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BodyCanonicalizerTest {

  /** Checks that every split of the input, and byte-by-byte feeding, give the same hash. */
  private static void splitsAgree(Canonicalization canon, String body) {
    byte[] input = body.getBytes(StandardCharsets.ISO_8859_1);
    String whole = hash(canon, input, input.length);
    for (int split = 0; split <= input.length; split++) {
      assertThat(hash(canon, input, split)).as("split at " + split).isEqualTo(whole);
    }
    BodyCanonicalizer c = BodyCanonicalizer.of(canon);
    BodyHashSink sink = c.sink(-1);
    for (int i = 0; i < input.length; i++) {
      c.update(input, i, 1);
    }
    c.finish();
    assertThat(java.util.Base64.getEncoder().encodeToString(sink.hash()))
        .as("byte by byte")
        .isEqualTo(whole);
  }

  private static String hash(Canonicalization canon, byte[] input, int split) {
    BodyCanonicalizer c = BodyCanonicalizer.of(canon);
    BodyHashSink sink = c.sink(-1);
    c.update(input, 0, split);
    c.update(input, split, input.length - split);
    c.finish();
    return java.util.Base64.getEncoder().encodeToString(sink.hash());
  }

  private static String run(Canonicalization canon, String body) {
    splitsAgree(canon, body);
    byte[] input = body.getBytes(StandardCharsets.ISO_8859_1);
    BodyCanonicalizer c = BodyCanonicalizer.of(canon);
    BodyHashSink sink = c.sink(-1);
    c.update(input, 0, input.length);
    c.finish();
    return java.util.Base64.getEncoder().encodeToString(sink.hash()) + "/" + sink.length();
  }

  private static String expected(String canonicalText) {
    byte[] bytes = canonicalText.getBytes(StandardCharsets.ISO_8859_1);
    return java.util.Base64.getEncoder().encodeToString(Crypto.sha256().digest(bytes))
        + "/"
        + bytes.length;
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // RFC 6376 §3.4.5 example body
        "' C \\r\\nD \\t E\\r\\n\\r\\n\\r\\n'|' C \\r\\nD \\t E\\r\\n'",
        "''|'\\r\\n'",
        "'\\r\\n\\r\\n'|'\\r\\n'",
        "'abc'|'abc\\r\\n'",
        "'abc\\r'|'abc\\r\\r\\n'",
        "'a\\nb\\r\\n'|'a\\nb\\r\\n'",
        "'a\\r\\r\\n\\r\\n'|'a\\r\\r\\n'",
        "'\\r\\n\\r\\nx\\r\\n\\r\\n'|'\\r\\n\\r\\nx\\r\\n'"
      })
  void update_simple(String body, String canonical) {
    assertThat(run(Canonicalization.SIMPLE, unescape(body)))
        .isEqualTo(expected(unescape(canonical)));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // RFC 6376 §3.4.5 example body
        "' C \\r\\nD \\t E\\r\\n\\r\\n\\r\\n'|' C\\r\\nD E\\r\\n'",
        "''|''",
        "'\\r\\n\\r\\n'|''",
        "' \\t \\r\\n\\t\\r\\n'|''",
        "'abc'|'abc\\r\\n'",
        "'abc  \\t'|'abc\\r\\n'",
        "'a  b\\t\\tc \\r\\n'|'a b c\\r\\n'",
        "'a \\r b\\r\\n'|'a \\r b\\r\\n'",
        "'a\\r'|'a\\r\\r\\n'",
        "'\\r\\n  x\\r\\n'|'\\r\\n x\\r\\n'",
        "'a\\r\\n \\r\\nb'|'a\\r\\n\\r\\nb\\r\\n'"
      })
  void update_relaxed(String body, String canonical) {
    assertThat(run(Canonicalization.RELAXED, unescape(body)))
        .isEqualTo(expected(unescape(canonical)));
  }

  @Test
  void sink_lengthLimit_hashesOnlyThePrefix() {
    BodyCanonicalizer c = BodyCanonicalizer.of(Canonicalization.SIMPLE);
    BodyHashSink limited = c.sink(5);
    BodyHashSink full = c.sink(-1);
    byte[] body = "hello world\r\n".getBytes(StandardCharsets.US_ASCII);
    c.update(body, 0, body.length);
    c.finish();
    assertThat(limited.hash()).isEqualTo(Crypto.sha256().digest("hello".getBytes()));
    assertThat(limited.length()).isEqualTo(13);
    assertThat(full.length()).isEqualTo(13);
    assertThat(c.sink(5)).isSameAs(limited);
  }

  @Test
  void update_directBuffer_sameAsArray() {
    byte[] body = "a  b \r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    BodyCanonicalizer direct = BodyCanonicalizer.of(Canonicalization.RELAXED);
    BodyHashSink d = direct.sink(-1);
    ByteBuffer buffer = ByteBuffer.allocateDirect(body.length);
    buffer.put(body).flip();
    direct.update(buffer);
    direct.finish();
    assertThat(buffer.hasRemaining()).isFalse();
    assertThat(MessageDigest.isEqual(d.hash(), Crypto.sha256().digest("a b\r\n".getBytes())))
        .isTrue();
  }

  @Test
  void update_randomBodiesInRandomChunks_matchTheRfcDefinitions() {
    Random random = new Random(6376);
    String[] tokens = {
      "word",
      "x",
      "é",
      " ",
      "  ",
      "\t",
      " \t",
      "\r\n",
      "\r\n",
      "\r\n",
      "\r",
      "\n",
      " \r\n",
      "\r\n\r\n",
      "\r\n "
    };
    for (int round = 0; round < 3000; round++) {
      StringBuilder text = new StringBuilder();
      int count = random.nextInt(60);
      for (int t = 0; t < count; t++) {
        text.append(tokens[random.nextInt(tokens.length)]);
      }
      byte[] body = text.toString().getBytes(StandardCharsets.ISO_8859_1);
      for (Canonicalization canon : Canonicalization.values()) {
        byte[] expected = reference(canon, text.toString());
        BodyCanonicalizer c = BodyCanonicalizer.of(canon);
        BodyHashSink sink = c.sink(-1);
        int offset = 0;
        while (offset < body.length) {
          int n = Math.min(body.length - offset, 1 + random.nextInt(40));
          c.update(body, offset, n);
          offset += n;
        }
        c.finish();
        assertThat(sink.hash())
            .as("%s of \"%s\"", canon, text.toString().replace("\r", "\\r").replace("\n", "\\n"))
            .isEqualTo(Crypto.sha256().digest(expected));
        assertThat(sink.length()).isEqualTo(expected.length);
      }
    }
  }

  /** RFC 6376 §3.4.3 and §3.4.4 applied to a whole body, as the text says, with strings. */
  private static byte[] reference(Canonicalization canon, String body) {
    String out;
    if (canon == Canonicalization.SIMPLE) {
      out = body;
      while (out.endsWith("\r\n\r\n")) {
        out = out.substring(0, out.length() - 2);
      }
      if (!out.endsWith("\r\n")) {
        out += "\r\n";
      }
    } else {
      String[] lines = body.split("\r\n", -1);
      StringBuilder joined = new StringBuilder();
      for (int k = 0; k < lines.length; k++) {
        String line = lines[k].replaceAll("[ \t]+", " ");
        if (line.endsWith(" ")) {
          line = line.substring(0, line.length() - 1);
        }
        if (k < lines.length - 1 || !line.isEmpty()) {
          joined.append(line).append("\r\n");
        }
      }
      out = joined.toString();
      while (out.endsWith("\r\n\r\n")) {
        out = out.substring(0, out.length() - 2);
      }
      if (out.equals("\r\n")) {
        out = "";
      }
    }
    return out.getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void update_readOnlyBuffersOfGrowingSize_sameAsArray() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; text.length() < 20_000; i++) {
      text.append("line ").append(i).append(i % 7 == 0 ? "  \t \r\n" : " words here\r\n");
    }
    byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
    for (Canonicalization canon : Canonicalization.values()) {
      BodyCanonicalizer arrays = BodyCanonicalizer.of(canon);
      BodyHashSink expected = arrays.sink(-1);
      arrays.update(body, 0, body.length);
      arrays.finish();
      BodyCanonicalizer buffers = BodyCanonicalizer.of(canon);
      BodyHashSink actual = buffers.sink(-1);
      int offset = 0;
      for (int size : new int[] {0, 10, 300, 5000, 9000, 100_000}) {
        int n = Math.min(size, body.length - offset);
        buffers.update(ByteBuffer.wrap(body, offset, n).asReadOnlyBuffer());
        offset += n;
      }
      buffers.finish();
      assertThat(actual.hash()).as(canon.toString()).isEqualTo(expected.hash());
      assertThat(actual.length()).isEqualTo(expected.length());
    }
  }

  static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
  }

  /** RFC 6376 §3.4.3, written as plainly as the text reads, as a reference for the fuzz test. */
  private static byte[] referenceSimple(byte[] body) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    if (!s.endsWith("\r\n")) {
      s += "\r\n";
    }
    while (s.endsWith("\r\n\r\n")) {
      s = s.substring(0, s.length() - 2);
    }
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /**
   * RFC 6376 §3.4.4 with erratum 1384 (an empty body stays empty): lines end only in CRLF, WSP runs
   * become one SP, WSP at line ends goes (also on a last line without CRLF, which then gets one),
   * trailing empty lines go.
   */
  private static byte[] referenceRelaxed(byte[] body) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    if (s.endsWith("\r\n")) {
      s = s.substring(0, s.length() - 2);
    }
    java.util.List<String> lines = new java.util.ArrayList<>();
    for (String line : s.split("\r\n", -1)) {
      lines.add(line.replaceAll("[ \t]+", " ").replaceAll(" \\z", ""));
    }
    while (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    StringBuilder out = new StringBuilder();
    for (String line : lines) {
      out.append(line).append("\r\n");
    }
    return out.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void update_randomBodiesInRandomChunks_matchTheRfcText() {
    java.util.Random random = new java.util.Random(6376);
    byte[] alphabet = {'a', 'b', ' ', ' ', '\t', '\r', '\n', '\r', '\n', (byte) 0xe9};
    for (int round = 0; round < 20_000; round++) {
      byte[] body = new byte[random.nextInt(24)];
      for (int i = 0; i < body.length; i++) {
        body[i] = alphabet[random.nextInt(alphabet.length)];
      }
      for (Canonicalization canon : Canonicalization.values()) {
        byte[] want =
            canon == Canonicalization.SIMPLE ? referenceSimple(body) : referenceRelaxed(body);
        BodyCanonicalizer c = BodyCanonicalizer.of(canon);
        BodyHashSink sink = c.sink(-1);
        int at = 0;
        while (at < body.length) {
          int n = 1 + random.nextInt(body.length - at);
          c.update(body, at, n);
          at += n;
        }
        c.finish();
        String shown =
            new String(body, StandardCharsets.ISO_8859_1)
                .replace("\r", "\\r")
                .replace("\n", "\\n")
                .replace("\t", "\\t");
        assertThat(sink.hash())
            .as(canon + " of \"" + shown + "\"")
            .isEqualTo(Crypto.sha256().digest(want));
        assertThat(sink.length()).as(canon + " length of \"" + shown + "\"").isEqualTo(want.length);
      }
    }
  }
}
