package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReportUriTest {
  @Test
  void parse_mailtoWithSize_splitAndDomainRead() {
    ReportUri uri = ReportUri.parse("mailto:Reports@Example.COM!10m").orElseThrow();
    assertThat(uri.uri()).isEqualTo("mailto:Reports@Example.COM");
    assertThat(uri.sizeLimit()).contains("10m");
    assertThat(uri.scheme()).isEqualTo("mailto");
    assertThat(uri.mailtoDomain()).contains("example.com");
    assertThat(uri.toString()).isEqualTo("mailto:Reports@Example.COM!10m");
  }

  @Test
  void parse_otherSchemes_keptWithoutMailtoDomain() {
    ReportUri https = ReportUri.parse("https://reports.example/dmarc").orElseThrow();
    assertThat(https.scheme()).isEqualTo("https");
    assertThat(https.mailtoDomain()).isEmpty();
  }

  @Test
  void parse_notUris_empty() {
    assertThat(ReportUri.parse("dmarc@example.com")).isEmpty();
    assertThat(ReportUri.parse("mailto:")).isEmpty();
    assertThat(ReportUri.parse("mailto:nobody")).isEmpty();
    assertThat(ReportUri.parse("mailto:a@example.com!ten")).isEmpty();
    assertThat(ReportUri.parse("1x:abc")).isEmpty();
    assertThat(ReportUri.parse("mailto:a b@example.com")).isEmpty();
    assertThat(ReportUri.parse("")).isEmpty();
  }

  @Test
  void parse_mailtoQuery_domainBeforeQuery() {
    assertThat(ReportUri.parse("mailto:r@example.net?subject=x").orElseThrow().mailtoDomain())
        .contains("example.net");
  }

  @Test
  void constructor_invalid_rejected() {
    assertThatThrownBy(() -> new ReportUri("nope", Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ReportUri("mailto:a@example.com", Optional.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
