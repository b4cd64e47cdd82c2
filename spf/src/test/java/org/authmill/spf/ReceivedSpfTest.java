package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReceivedSpfTest {
  private static SpfOutcome outcome(SpfResult result, String from, String helo, String reason) {
    return new SpfOutcome(
        result,
        SpfIdentity.MAILFROM,
        from,
        "example.com",
        SuiteZone.address("192.0.2.1"),
        Optional.of(helo).filter(h -> !h.isEmpty()),
        Optional.of(from).filter(f -> !f.isEmpty()),
        Optional.of("include:_spf.example.com"),
        Optional.empty(),
        reason,
        1,
        0,
        Duration.ofMinutes(5));
  }

  @Test
  void value_rfc7208Section91Shape() {
    String field =
        new ReceivedSpf(
                outcome(SpfResult.PASS, "myname@example.com", "foo.example.com", "ok"),
                "mybox.example.org")
            .field();
    assertThat(field)
        .isEqualTo(
            "Received-SPF: pass (mybox.example.org: domain of myname@example.com designates"
                + " 192.0.2.1 as permitted sender) receiver=mybox.example.org;"
                + " client-ip=192.0.2.1; envelope-from=\"myname@example.com\";"
                + " helo=foo.example.com; identity=mailfrom;"
                + " mechanism=\"include:_spf.example.com\"");
  }

  @Test
  void value_neverCarriesControlCharactersFromOutside() {
    String field =
        new ReceivedSpf(
                outcome(
                    SpfResult.PERMERROR,
                    "evil\r\nX-Injected: yes@example.com",
                    "helo\n(x)",
                    "bad record 'v=spf1 \u0000\r\n\"quoted\"'"),
                "mx.example.org")
            .field();
    assertThat(field).doesNotContain("\r").doesNotContain("\n").doesNotContain("\u0000");
    assertThat(field.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).isTrue();
    assertThat(field).contains("problem=\"bad record").contains("\\\"quoted\\\"");
  }

  /**
   * RFC 7208 §9.1: {@code result FWS [comment FWS] [key-value-list]}; the list starts with a pair,
   * so no ";" may stand between the comment and the first key.
   */
  @Test
  void value_noSemicolonBetweenCommentAndKeyValueList() {
    for (SpfResult result : SpfResult.values()) {
      String value =
          new ReceivedSpf(
                  outcome(result, "a@example.com", "h.example.com", "why"), "mx.example.org")
              .value();
      assertThat(value)
          .as(result.keyword())
          .matches(
              result.keyword()
                  + " \\((\\\\.|[^()\\\\])*\\) [a-z-]+=[^;]+(; [a-z-]+=(\"(\\\\.|[^\"\\\\])*\"|[^;\" ]+))*");
    }
  }

  @Test
  void value_problemKeepsSectionReferencesReadable() {
    String value =
        new ReceivedSpf(
                outcome(SpfResult.PERMERROR, "a@example.com", "h", "bad term (RFC 7208 §4.6)"),
                "mx.example.org")
            .value();
    assertThat(value).contains("problem=\"bad term (RFC 7208 section 4.6)\"");
  }
}
