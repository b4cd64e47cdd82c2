package org.authmill.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class DestinationTest {
  @Test
  void ofUri_mailtoWithQueryAndEscapes() {
    assertThat(Destination.ofUri("mailto:dmarc%2Brua@Example.COM?subject=x"))
        .contains(new Destination("dmarc+rua@example.com", "example.com"));
    assertThat(Destination.ofUri("MAILTO:a@b.example"))
        .contains(new Destination("a@b.example", "b.example"));
  }

  @Test
  void ofUri_otherSchemesAndBadAddressesAreRefused() {
    assertThat(Destination.ofUri("https://example.com/rua")).isEmpty();
    assertThat(Destination.ofUri("mailto:nobody")).isEmpty();
    assertThat(Destination.ofUri("mailto:a@b.example%2Cc@d.example")).isEmpty();
    assertThat(Destination.ofUri("mailto:a%0D%0ARCPT@b.example")).isEmpty();
  }

  @Test
  void lists_denyWinsAndAllowRestricts() {
    Destination d = Destination.ofUri("mailto:rua@reports.example.com").orElseThrow();
    assertThat(new DestinationLists(List.of(), List.of("example.com")).refusal(d))
        .contains("denied");
    assertThat(new DestinationLists(List.of(), List.of("@example.com")).refusal(d)).isNull();
    assertThat(new DestinationLists(List.of("other.example"), List.of()).refusal(d))
        .contains("allow list");
    assertThat(new DestinationLists(List.of("RUA@reports.example.com"), List.of()).refusal(d))
        .isNull();
  }

  @Test
  void dotStuff_doublesLeadingDotsAndEndsWithCrlf() {
    byte[] out = SmtpClient.dotStuff(".a\r\nb\r\n.\r\nc".getBytes(StandardCharsets.US_ASCII));
    assertThat(new String(out, StandardCharsets.US_ASCII)).isEqualTo("..a\r\nb\r\n..\r\nc\r\n");
  }

  @Test
  void reportPeriod_utcDayAndHour() {
    assertThat(ReportPeriod.UTC_DAY.startOf(java.time.Instant.parse("2026-11-30T23:59:59Z")))
        .isEqualTo(java.time.Instant.parse("2026-11-30T00:00:00Z").getEpochSecond());
    ReportPeriod hour = new ReportPeriod(java.time.Duration.ofHours(1));
    long start = hour.startOf(java.time.Instant.parse("2026-11-30T10:30:00Z"));
    assertThat(hour.endOf(start) - start).isEqualTo(3599);
  }
}
