package org.authmill.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile and broken inputs: each is refused with an error that names the problem, or read as the
 * reporter meant, within bounded time and memory (JUnit timeouts bound the time; bombs are
 * streamed, so memory stays at a few buffers).
 */
class HostileInputTest {
  private static final String RECORD = Generated.record("192.0.2.1", 3, true);

  private static AggregateReport parse(byte[] xml) throws IOException {
    return AggregateReportParser.parse(new ByteArrayInputStream(xml));
  }

  private static AggregateReport parse(String xml) throws IOException {
    return parse(xml.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads every XML document of a payload, as the importer does. */
  private static List<AggregateReport> open(InputStream raw, DecompressionLimits limits)
      throws IOException {
    List<AggregateReport> out = new ArrayList<>();
    ReportPayloads.open(
        "test", raw, limits, (name, xml) -> out.add(AggregateReportParser.parse(xml)));
    return out;
  }

  @Test
  @Timeout(10)
  void parse_externalEntity_refusedWithoutReadingIt() {
    String xxe =
        "<?xml version=\"1.0\"?>\n<!DOCTYPE feedback [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
            + "<feedback><report_metadata><org_name>&xxe;</org_name><report_id>1</report_id>"
            + "<date_range><begin>1</begin><end>2</end></date_range></report_metadata>"
            + "<policy_published><domain>example.com</domain></policy_published>"
            + RECORD
            + "</feedback>";
    assertThatThrownBy(() -> parse(xxe))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("DOCTYPE")
        .hasMessageNotContaining("root:");
  }

  @Test
  @Timeout(10)
  void parse_parameterEntityAndLowerCaseDoctype_refused() {
    String xxe =
        "<!-- hi --><!doctype feedback [<!ENTITY % p SYSTEM \"http://127.0.0.1:1/x.dtd\"> %p;]>"
            + "<feedback/>";
    assertThatThrownBy(() -> parse(xxe))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("DOCTYPE");
  }

  @Test
  @Timeout(10)
  void parse_billionLaughs_refused() {
    StringBuilder dtd = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [");
    dtd.append("<!ENTITY lol \"lol\">");
    for (int i = 1; i <= 9; i++) {
      dtd.append("<!ENTITY lol").append(i).append(" \"");
      for (int k = 0; k < 10; k++) {
        dtd.append(i == 1 ? "&lol;" : "&lol" + (i - 1) + ";");
      }
      dtd.append("\">");
    }
    dtd.append("]><feedback><report_metadata><org_name>&lol9;</org_name></report_metadata>")
        .append("</feedback>");
    assertThatThrownBy(() -> parse(dtd.toString()))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("DOCTYPE");
  }

  @Test
  @Timeout(10)
  void parse_undeclaredEntityWithoutDtd_keptAsText() throws IOException {
    // Without a DTD an entity cannot expand: "&lol9;" is a reporter's stray ampersand.
    AggregateReport r = parse(Generated.report("a&lol9;b", "id&1", "example.com", RECORD));
    assertThat(r.metadata().orgName()).isEqualTo("a&lol9;b");
    assertThat(r.metadata().reportId()).isEqualTo("id&1");
  }

  @Test
  @Timeout(60)
  void open_tenGigabyteGzipBomb_refusedEarly() {
    long tenGb = 10L * 1000 * 1000 * 1000;
    assertThatThrownBy(() -> open(Generated.gzipOfZeros(tenGb), DecompressionLimits.DEFAULT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("decompression bomb")
        .hasMessageContaining("ratio");
  }

  @Test
  @Timeout(60)
  void open_gzipBombWithRatioCheckOff_stopsAtByteBudget() {
    DecompressionLimits budgetOnly = new DecompressionLimits(64L << 20, Long.MAX_VALUE / 4, 0, 64);
    assertThatThrownBy(() -> open(Generated.gzipOfZeros(10L << 30), budgetOnly))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("more than " + (64L << 20) + " bytes");
  }

  @Test
  @Timeout(60)
  void open_zipBomb_refused() throws IOException {
    byte[] bomb = Generated.zipOfZeros("report.xml", 64L << 20);
    assertThat(bomb.length).isLessThan(2 << 20);
    assertThatThrownBy(() -> open(new ByteArrayInputStream(bomb), DecompressionLimits.DEFAULT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("decompression bomb");
  }

  @Test
  @Timeout(30)
  void open_nestedZips_refusedByDepth() throws IOException {
    byte[] inner = Generated.report("o", "1", "example.com", RECORD);
    byte[] z1 = Generated.zip(new String[] {"a.xml"}, new byte[][] {inner});
    byte[] z2 = Generated.zip(new String[] {"a.zip"}, new byte[][] {z1});
    byte[] z3 = Generated.zip(new String[] {"b.zip"}, new byte[][] {z2});
    assertThatThrownBy(() -> open(new ByteArrayInputStream(z3), DecompressionLimits.DEFAULT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("nested too deeply");
    // One level of nesting (a gzip in a zip) is what some reporters send, and reads.
    byte[] gzInZip = Generated.zip(new String[] {"a.xml.gz"}, new byte[][] {Generated.gzip(inner)});
    assertThat(open(new ByteArrayInputStream(gzInZip), DecompressionLimits.DEFAULT)).hasSize(1);
  }

  @Test
  @Timeout(30)
  void open_zipWithTooManyEntries_refused() throws IOException {
    int n = DecompressionLimits.DEFAULT.maxEntries() + 1;
    String[] names = new String[n];
    byte[][] contents = new byte[n][];
    for (int i = 0; i < n; i++) {
      names[i] = i + ".xml";
      contents[i] = Generated.report("o", "id" + i, "example.com", RECORD);
    }
    byte[] zip = Generated.zip(names, contents);
    assertThatThrownBy(() -> open(new ByteArrayInputStream(zip), DecompressionLimits.DEFAULT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("more than " + (n - 1) + " entries");
  }

  @Test
  @Timeout(10)
  void open_truncatedGzip_clearError() throws IOException {
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      many.append(Generated.record("192.0.2." + (i % 250), i + 1, i % 3 == 0));
    }
    byte[] gz = Generated.gzip(Generated.report("o", "1", "example.com", many.toString()));
    byte[] cut = Arrays.copyOf(gz, gz.length / 2);
    assertThatThrownBy(() -> open(new ByteArrayInputStream(cut), DecompressionLimits.DEFAULT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("truncated gzip");
    byte[] headerOnly = Arrays.copyOf(gz, 5);
    assertThatThrownBy(
            () -> open(new ByteArrayInputStream(headerOnly), DecompressionLimits.DEFAULT))
        .isInstanceOf(ReportFormatException.class)
        .hasMessageContaining("truncated gzip");
  }

  @Test
  void parse_wrongOrMissingNamespaces_read() throws IOException {
    String body =
        "<report_metadata><org_name>o</org_name><report_id>1</report_id><date_range>"
            + "<begin>1</begin><end>2</end></date_range></report_metadata>"
            + "<policy_published><domain>Example.COM.</domain><p>Reject</p></policy_published>"
            + RECORD;
    for (String xml :
        List.of(
            "<feedback xmlns=\"http://example.org/not-dmarc\">" + body + "</feedback>",
            "<feedback xmlns=\"http://dmarc.org/dmarc-xml/0.1\">" + body + "</feedback>",
            "<feedback xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\">" + body + "</feedback>",
            "<d:feedback xmlns:d=\"urn:ietf:params:xml:ns:dmarc-2.0\">"
                + body.replace("<", "<d:").replace("<d:/", "</d:")
                + "</d:feedback>",
            "<x:feedback>" + body + "</x:feedback>",
            "<FEEDBACK>" + body.toUpperCase(java.util.Locale.ROOT) + "</FEEDBACK>",
            "  \n\uFEFF<?xml version=\"1.0\"?><feedback>" + body + "</feedback>junk after")) {
      AggregateReport r = parse(xml);
      assertThat(r.metadata().domain()).as(xml).isEqualTo("example.com");
      assertThat(r.metadata().policy().p()).as(xml).isEqualTo("reject");
      assertThat(r.records()).as(xml).hasSize(1);
      assertThat(r.records().get(0).dkim()).as(xml).isEqualTo("pass");
      assertThat(r.messages()).as(xml).isEqualTo(3);
    }
  }

  @Test
  void parse_nonUtf8Encodings_decodedAsDeclared() throws IOException {
    String doc =
        "<?xml version=\"1.0\" encoding=\"%s\"?>"
            + new String(
                    Generated.report(
                        "Soci\u00e9t\u00e9 G\u00e9n\u00e9rale", "1", "example.com", RECORD),
                    StandardCharsets.UTF_8)
                .replaceFirst("<\\?xml[^>]*\\?>", "");
    for (String charset : List.of("windows-1252", "ISO-8859-1", "ISO-8859-15", "UTF-16")) {
      byte[] bytes =
          String.format(doc, charset)
              .getBytes(
                  charset.equals("UTF-16")
                      ? StandardCharsets.UTF_16
                      : java.nio.charset.Charset.forName(charset));
      AggregateReport r = parse(bytes);
      assertThat(r.metadata().orgName())
          .as(charset)
          .isEqualTo("Soci\u00e9t\u00e9 G\u00e9n\u00e9rale");
    }
    // Declared UTF-8 but Latin-1 bytes: the bad bytes become U+FFFD, the report still reads.
    byte[] latin1 = String.format(doc, "UTF-8").getBytes(StandardCharsets.ISO_8859_1);
    AggregateReport r = parse(latin1);
    assertThat(r.metadata().orgName()).isEqualTo("Soci\uFFFDt\uFFFD G\uFFFDn\uFFFDrale");
    // An unknown charset name reads as UTF-8.
    assertThat(parse(String.format(doc, "x-no-such-charset")).metadata().orgName())
        .isEqualTo("Soci\u00e9t\u00e9 G\u00e9n\u00e9rale");
  }

  @Test
  void parse_strayMarkupCharactersAndControls_repaired() throws IOException {
    AggregateReport r =
        parse(
            Generated.report(
                "<bad@example.net> & co\u0001",
                "1",
                "example.com",
                RECORD.replace("example.com</header_from>", "bad<xml.net</header_from>")));
    assertThat(r.metadata().orgName()).isEqualTo("<bad@example.net> & co\uFFFD");
    assertThat(r.records().get(0).headerFrom()).isEqualTo("bad<xml.net");
  }

  @Test
  void parse_notAReport_namesTheProblem() {
    assertThatThrownBy(() -> parse("<html><body>hello</body></html>"))
        .hasMessageContaining("no <feedback> element");
    assertThatThrownBy(() -> parse("")).hasMessageContaining("empty document");
    assertThatThrownBy(() -> parse("<feedback><report_metadata>"))
        .isInstanceOf(ReportFormatException.class);
    assertThatThrownBy(() -> parse(Generated.report("o", "", "example.com", RECORD)))
        .hasMessageContaining("report_id");
    assertThatThrownBy(
            () -> parse(Generated.report("o", "1", "example.com", RECORD.replace(">3<", ">x<"))))
        .hasMessageContaining("record 1: <count> is not a number");
  }
}
