package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
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

  static String unescape(String s) {
    return s.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t");
  }
}
