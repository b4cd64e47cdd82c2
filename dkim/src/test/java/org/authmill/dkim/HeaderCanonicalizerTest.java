package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HeaderCanonicalizerTest {
  private static String relaxed(String field) {
    return new String(
        new HeaderCanonicalizer().relaxedCopy(field.getBytes(StandardCharsets.ISO_8859_1)),
        StandardCharsets.ISO_8859_1);
  }

  @Test
  void relaxed_rfc6376Example() {
    // RFC 6376 §3.4.5: "A: X" and "B : Y\t\r\n\tZ  " become "a:X" and "b:Y Z"
    assertThat(relaxed("A: X")).isEqualTo("a:X");
    assertThat(relaxed("B : Y\t\r\n\tZ  ")).isEqualTo("b:Y Z");
  }

  @Test
  void relaxed_emptyValueAndNoSpace() {
    assertThat(relaxed("Subject:")).isEqualTo("subject:");
    assertThat(relaxed("Subject:   \r\n ")).isEqualTo("subject:");
    assertThat(relaxed("From:a@b")).isEqualTo("from:a@b");
  }

  @Test
  void relaxed_eightBitBytesKept() {
    assertThat(relaxed("Subject: caf\u00e9  \u00ff")).isEqualTo("subject:caf\u00e9 \u00ff");
  }

  @Test
  void withoutSignatureValue_removesOnlyTheBValue() {
    String field = "DKIM-Signature: v=1; bh=abc=; b=sig\r\n\t value ; d=x";
    byte[] out =
        HeaderCanonicalizer.withoutSignatureValue(field.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(new String(out, StandardCharsets.ISO_8859_1))
        .isEqualTo("DKIM-Signature: v=1; bh=abc=; b=; d=x");
  }

  @Test
  void withoutSignatureValue_lastTagAndSpacesAroundName() {
    String field = "DKIM-Signature: v=1; b = xyz \r\n";
    byte[] out =
        HeaderCanonicalizer.withoutSignatureValue(field.getBytes(StandardCharsets.ISO_8859_1));
    assertThat(new String(out, StandardCharsets.ISO_8859_1)).isEqualTo("DKIM-Signature: v=1; b =");
  }

  @Test
  void update_fieldsWithLineEndsIntoTheDigest() {
    String noColon = "X".repeat(3000);
    HeaderCanonicalizer canonicalizer = new HeaderCanonicalizer();
    var relaxed = Crypto.sha256();
    var simple = Crypto.sha256();
    for (String field : new String[] {"Subject:  a  b ", noColon, "To: x"}) {
      byte[] bytes = field.getBytes(StandardCharsets.ISO_8859_1);
      boolean last = field.startsWith("To");
      canonicalizer.update(relaxed, Canonicalization.RELAXED, bytes, last);
      canonicalizer.update(simple, Canonicalization.SIMPLE, bytes, last);
    }
    String relaxedText = "subject:a b\r\n" + "x".repeat(3000) + ":\r\nto:x";
    String simpleText = "Subject:  a  b \r\n" + noColon + "\r\nTo: x";
    assertThat(relaxed.digest())
        .isEqualTo(Crypto.sha256().digest(relaxedText.getBytes(StandardCharsets.ISO_8859_1)));
    assertThat(simple.digest())
        .isEqualTo(Crypto.sha256().digest(simpleText.getBytes(StandardCharsets.ISO_8859_1)));
  }
}
