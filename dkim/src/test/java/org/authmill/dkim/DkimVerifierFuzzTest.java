package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.List;

/**
 * DKIM verification (RFC 6376 §6) of any message, above all the parsing of its DKIM-Signature
 * fields (§3.5, §6.1.1): the verification completes with values, never an exception; each outcome
 * is a signature's result with a reason; at most {@link DkimVerifier#DEFAULT_MAX_SIGNATURES} are
 * evaluated; and reading the message in small pieces gives the same outcomes as reading it whole.
 */
class DkimVerifierFuzzTest {
  private static final DkimVerifier VERIFIER = FuzzDkim.verifier();

  @FuzzTest(maxDuration = "30s")
  void verify_anyMessage_outcomesAsValuesWhateverTheChunking(byte[] message) {
    List<DkimOutcome> whole =
        VERIFIER.verify(new ByteArrayInputStream(message)).toCompletableFuture().join();
    int evaluated = 0;
    for (DkimOutcome o : whole) {
      assertThat(o.reason()).isNotBlank();
      o.domain().ifPresent(d -> assertThat(d).isEqualTo(d.toLowerCase(java.util.Locale.ROOT)));
      if (!o.reason().startsWith("not evaluated: more than")) {
        evaluated++;
      }
      if (o.passed()) {
        assertThat(o.domain()).contains(FuzzDkim.DOMAIN);
        assertThat(o.keyBits()).isEqualTo(256);
      }
    }
    assertThat(evaluated).isLessThanOrEqualTo(DkimVerifier.DEFAULT_MAX_SIGNATURES);
    List<DkimOutcome> pieces =
        VERIFIER.verify(new Trickle(message, message.length)).toCompletableFuture().join();
    assertThat(pieces).isEqualTo(whole);
  }

  /** Hands out the bytes a few at a time, sizes varying with the content. */
  private static final class Trickle extends InputStream {
    private final byte[] data;
    private int pos;
    private int state;

    Trickle(byte[] data, int seed) {
      this.data = data;
      this.state = seed | 1;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xFF : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (pos >= data.length) {
        return -1;
      }
      state = state * 1103515245 + 12345;
      int n = Math.min(Math.min(len, data.length - pos), 1 + ((state >>> 16) & 0x1F));
      System.arraycopy(data, pos, b, off, n);
      pos += n;
      return n;
    }
  }
}
