package org.authmill.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportXmlTest {
  @TempDir Path tempDir;

  static AggregateReport sample() {
    ReportRow nullSender =
        new ReportRow(
            "2001:db8::25",
            "example.com",
            Optional.of(""),
            Optional.empty(),
            new PolicyEvaluated(
                "none", "fail", "fail", List.of(OverrideReason.of("policy_test_mode"))),
            Optional.empty(),
            List.of());
    return new AggregateReport(
        new ReportMetadata(
            "Receiver & Co <test>",
            "dmarc-reports@receiver.example",
            Optional.of("https://receiver.example/dmarc"),
            "1700000000.example.com@receiver.example",
            1_700_000_000L,
            1_700_086_399L,
            Optional.of("rua tag: one URI ignored"),
            Optional.of("authmill 0.1.0")),
        Events.policy("example.com"),
        List.of(
            new CountedRow(Events.row("192.0.2.1", "example.com", true), 12),
            new CountedRow(Events.row("192.0.2.2", "example.com", false), 3),
            new CountedRow(nullSender, 1)));
  }

  @Test
  void write_isValidAgainstTheRfc9990Schema() throws Exception {
    Path xml = tempDir.resolve("report.xml");
    Files.writeString(xml, ReportXml.write(sample()));
    XmlLint.assertValid(xml);
  }

  @Test
  void write_thenParse_givesTheSameReport() {
    AggregateReport report = sample();
    String xml = ReportXml.write(report);
    assertThat(xml)
        .startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .contains("<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">")
        .contains("<version>1.0</version>")
        .contains("<org_name>Receiver &amp; Co &lt;test&gt;</org_name>")
        .contains("<envelope_from></envelope_from>");
    AggregateReport back = ReportXml.parse(xml);
    assertThat(back.records()).isEqualTo(report.records());
    assertThat(back.metadata()).isEqualTo(report.metadata());
    assertThat(back.published().np()).contains("reject");
    assertThat(back.messageCount()).isEqualTo(16);
  }

  @Test
  void parse_refusesDoctype() {
    assertThatThrownBy(
            () ->
                ReportXml.parse(
                    "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY x \"y\">]><feedback/>"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an XML report");
  }

  @Test
  void parse_readsTheRfc9990Example() throws Exception {
    Path example = org.authmill.testkit.TestPaths.suite("dmarc/rfc9990/dmarc-xml-0.2.xml");
    AggregateReport report = ReportXml.parse(Files.readAllBytes(example));
    assertThat(report.published().domain()).isEqualTo("example.com");
    assertThat(report.records()).hasSize(1);
    assertThat(report.records().get(0).count()).isEqualTo(123);
    assertThat(report.records().get(0).row().dkim())
        .containsExactly(new DkimAuth("example.com", "abc123", "pass"));
  }
}
