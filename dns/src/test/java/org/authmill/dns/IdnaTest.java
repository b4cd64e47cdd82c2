package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class IdnaTest {
  private static String punycode(String text) {
    return Idna.punycode(text.codePoints().toArray()).orElseThrow();
  }

  @Test
  void punycode_rfc3492SampleStrings() {
    // RFC 3492 §7.1 (A), (B), (I), (L) and (S)
    assertThat(
            punycode(
                "\u0644\u064a\u0647\u0645\u0627\u0628\u062a\u0643\u0644\u0645\u0648"
                    + "\u0634\u0639\u0631\u0628\u064a\u061f"))
        .isEqualTo("egbpdaj6bu4bxfgehfvwxn");
    assertThat(punycode("\u4ed6\u4eec\u4e3a\u4ec0\u4e48\u4e0d\u8bf4\u4e2d\u6587"))
        .isEqualTo("ihqwcrb4cv8a8dqg056pqjye");
    assertThat(
            punycode(
                "\u043f\u043e\u0447\u0435\u043c\u0443\u0436\u0435\u043e\u043d\u0438"
                    + "\u043d\u0435\u0433\u043e\u0432\u043e\u0440\u044f\u0442\u043f\u043e\u0440\u0443"
                    + "\u0441\u0441\u043a\u0438"))
        .isEqualTo("b1abfaaepdrnnbgefbadotcwatmq2g4l");
    assertThat(punycode("3\u5e74B\u7d44\u91d1\u516b\u5148\u751f"))
        .isEqualTo("3B-ww4c5e180e575a65lsy2b");
    assertThat(punycode("-> $1.00 <-")).isEqualTo("-> $1.00 <--");
  }

  @Test
  void toAscii_keepsAsciiLabelsAndConvertsOthers() {
    assertThat(Idna.toAscii("mail.b\u00fccher.example")).contains("mail.xn--bcher-kva.example");
    assertThat(Idna.toAscii("fa\u00df.example")).contains("xn--fa-hia.example");
    assertThat(Idna.toAscii("\u2665.example")).isEmpty();
    // the UTS #46 mappings that differ from Java's simple lower case
    assertThat(Idna.toAscii("FA\u1e9e.example")).contains("fass.example");
    assertThat(Idna.toAscii("\u0130stanbul.example")).contains("xn--istanbul-o0e.example");
  }
}
