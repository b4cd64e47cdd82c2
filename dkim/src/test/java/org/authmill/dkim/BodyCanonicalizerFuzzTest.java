package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * The streaming body canonicalizers against a plain reference written from the text of RFC 6376
 * §3.4.3 and §3.4.4, through the public signing API: for any body, split into chunks anywhere (also
 * between CR and LF), the {@code bh=} a signature carries is the SHA-256 of the reference canonical
 * body, and the verifier passes the signed message.
 */
class BodyCanonicalizerFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void bodyHash_anyBodyAnyChunking_isTheReferenceHash(byte[] input) throws Exception {
    if (input.length == 0) {
      return;
    }
    int seed = input[0] & 0xFF;
    byte[] body = Arrays.copyOfRange(input, 1, input.length);
    for (Canonicalization canon : Canonicalization.values()) {
      DkimSignStream signing =
          DkimSignStream.of(
              List.of(FuzzDkim.signer(Canonicalization.RELAXED, canon, List.of("From"))));
      byte[] from = FuzzDkim.bytes("From: a@example.com");
      signing.header(from);
      signing.endOfHeaders();
      List<byte[]> chunks = chunks(body, seed);
      for (int i = 0; i < chunks.size(); i++) {
        // Alternate the array and the buffer entry points, heap and direct.
        if (i % 3 == 2) {
          ByteBuffer direct = ByteBuffer.allocateDirect(chunks.get(i).length);
          direct.put(chunks.get(i)).flip();
          signing.body(direct);
        } else if (i % 3 == 1) {
          signing.body(ByteBuffer.wrap(chunks.get(i)));
        } else {
          signing.body(chunks.get(i));
        }
      }
      String value = signing.finish().get(0).value();
      byte[] expected = sha256(canon == Canonicalization.SIMPLE ? simple(body) : relaxed(body));
      assertThat(FuzzDkim.tag(value, "bh"))
          .as("bh= of %s for a body of %d octets", canon, body.length)
          .isEqualTo(Base64.getEncoder().encodeToString(expected));
      DkimVerifyStream verification = FuzzDkim.verifier().newStream();
      verification.header(FuzzDkim.bytes("DKIM-Signature: " + value));
      verification.header(from);
      verification.endOfHeaders();
      for (byte[] chunk : chunks(body, seed * 31 + 7)) {
        verification.body(chunk);
      }
      List<DkimOutcome> outcomes = verification.finish().toCompletableFuture().join();
      assertThat(outcomes).hasSize(1);
      assertThat(outcomes.get(0).result()).as(outcomes.get(0).reason()).isEqualTo(DkimResult.PASS);
    }
  }

  /** Cuts the body into chunks of 1 to 64 octets, sizes from a small generator seeded by seed. */
  static List<byte[]> chunks(byte[] body, int seed) {
    List<byte[]> out = new ArrayList<>();
    int state = seed | 1;
    int pos = 0;
    while (pos < body.length) {
      state = state * 1103515245 + 12345;
      int size = 1 + ((state >>> 16) & 0x3F);
      int end = Math.min(body.length, pos + size);
      out.add(Arrays.copyOfRange(body, pos, end));
      pos = end;
    }
    return out;
  }

  /**
   * RFC 6376 §3.4.3: "ignores all empty lines at the end of the message body [...] If there is no
   * body or no trailing CRLF on the message body, a CRLF is added." Lines end in CRLF only.
   */
  static byte[] simple(byte[] body) {
    byte[] b = body;
    while (endsWith(b, "\r\n\r\n")) {
      b = Arrays.copyOf(b, b.length - 2);
    }
    if (!endsWith(b, "\r\n")) {
      b = concat(b, new byte[] {'\r', '\n'});
    }
    return b;
  }

  /**
   * RFC 6376 §3.4.4: "Ignore all whitespace at the end of lines [...] Reduce all sequences of WSP
   * within a line to a single SP character. Ignore all empty lines at the end of the message body.
   * [...] If the body is non-empty but does not end with a CRLF, a CRLF is added." An empty body
   * (also one of only white space and empty lines) stays empty (erratum 1384).
   */
  static byte[] relaxed(byte[] body) {
    List<byte[]> lines = new ArrayList<>();
    int start = 0;
    for (int i = 0; i + 1 < body.length; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n') {
        lines.add(Arrays.copyOfRange(body, start, i));
        start = i + 2;
        i++;
      }
    }
    lines.add(Arrays.copyOfRange(body, start, body.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int l = 0; l < lines.size(); l++) {
      byte[] line = lines.get(l);
      ByteArrayOutputStream reduced = new ByteArrayOutputStream();
      boolean space = false;
      for (byte c : line) {
        if (c == ' ' || c == '\t') {
          space = true;
        } else {
          if (space) {
            reduced.write(' ');
            space = false;
          }
          reduced.write(c);
        }
      }
      out.writeBytes(reduced.toByteArray()); // trailing white space dropped
      if (l < lines.size() - 1) {
        out.write('\r');
        out.write('\n');
      }
    }
    byte[] b = out.toByteArray();
    while (endsWith(b, "\r\n")) {
      b = Arrays.copyOf(b, b.length - 2);
    }
    return b.length == 0 ? b : concat(b, new byte[] {'\r', '\n'});
  }

  static boolean endsWith(byte[] b, String suffix) {
    int n = suffix.length();
    if (b.length < n) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      if (b[b.length - n + i] != suffix.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  static byte[] sha256(byte[] data) throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(data);
  }
}
