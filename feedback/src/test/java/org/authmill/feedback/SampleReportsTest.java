package org.authmill.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every DMARC report sample under the shared suites ({@code dmarc/}) imports into a real store
 * (embedded SQLite), read in place: per file, the aggregate reports, records, messages and failure
 * reports stored; over the whole tree, a second import changes nothing.
 */
class SampleReportsTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  /** File (relative to dmarc/) -> {aggregate reports, records, messages, failure reports}. */
  static final Map<String, long[]> EXPECTED = new TreeMap<>();

  static {
    String pa = "parsedmarc/aggregate/";
    put("mail-dmarc/test_dmarc.xml", 1, 1, 1, 0);
    put(pa + "!example.com!1538204542!1538463818.xml", 1, 1, 1, 0);
    put(
        pa + "Report_domain-_borschow.com_Submitter-_google.com_Report-ID-_949348866075514174.eml",
        1,
        1,
        1,
        0);
    put(pa + "addisonfoods.com!example.com!1536105600!1536191999.xml", 1, 1, 1, 0);
    put(pa + "empty_reason.xml", 1, 1, 2, 0);
    put(
        pa + "estadocuenta1.infonacot.gob.mx!example.com!1536853302!1536939702!2940.xml.zip",
        1,
        1,
        1,
        0);
    put(pa + "example.net!example.com!1529366400!1529452799.xml", 1, 1, 1, 0);
    put(pa + "fastmail.com!example.com!1516060800!1516147199!102675056.xml.gz", 1, 1, 1, 0);
    put(pa + "ikea.com!example.de!1538690400!1538776800.xml", 1, 1, 1, 0);
    put(pa + "invalid_utf_8.xml", 1, 1, 1, 0);
    put(pa + "invalid_xml.xml", 1, 1, 1, 0);
    put(pa + "mimecast-weird-gzip.eml", 1, 1, 1, 0);
    put(pa + "old_draft_from_wiki.xml", 1, 1, 2, 0);
    put(pa + "protection.outlook.com!example.com!1711756800!1711843200.xml", 1, 1, 1, 0);
    put(pa + "rfc9990-example.net!example.com!1700000000!1700086399.xml", 1, 2, 7, 0);
    put(pa + "rfc9990-sample.xml", 1, 1, 123, 0);
    put(pa + "twilight.eml", 1, 1, 1, 0);
    put(pa + "usssa.com!example.com!1538784000!1538870399.xml", 1, 2, 2, 0);
    put(pa + "veeam.com!example.com!1530133200!1530219600.xml", 1, 1, 1, 0);
    put("parsedmarc/aggregate_invalid/report_with_upper_cased_pass.xml", 1, 1, 1, 0);
    for (String f :
        List.of(
            "DMARC_Failure_Report_for_domain.de_mail-from=sharepoint@domain.de_ip=10.10.10.10_.eml",
            "_Netease_DMARC_Failure_Report_Rent_Reminder.eml",
            "dmarc_ruf_report_linkedin.crlf.eml",
            "dmarc_ruf_report_linkedin.eml",
            "exim_plain_text_only_no_arf_part.eml")) {
      put("parsedmarc/failure/" + f, 0, 0, 0, 1);
    }
    put("rfc9990/dmarc-xml-0.2.xml", 1, 1, 123, 0);
    put("stalwart-mail-auth/aggregate/001.xml", 1, 1, 123, 0);
    put("stalwart-mail-auth/aggregate/002.xml", 1, 1, 2, 0);
    put("stalwart-mail-auth/aggregate/003.xml", 1, 4, 9, 0);
    put("stalwart-mail-auth/aggregate/004.xml", 1, 1, 123, 0);
    put("stalwart-mail-auth/aggregate/005.xml", 1, 1, 1, 0);
    for (int i = 100; i <= 104; i++) {
      put("stalwart-mail-auth/aggregate/" + i + ".eml", 1, 1, 1, 0);
    }
    for (int i = 1; i <= 5; i++) {
      put("stalwart-mail-auth/arf/00" + i + ".eml", 0, 0, 0, 1);
    }
  }

  private static void put(String file, long reports, long records, long messages, long failures) {
    EXPECTED.put(file, new long[] {reports, records, messages, failures});
  }

  static Stream<String> samples() {
    return EXPECTED.keySet().stream();
  }

  @Test
  void samples_everyReportFileIsListed() throws Exception {
    Path root = TestPaths.suite("dmarc");
    List<String> files;
    try (Stream<Path> s = Files.walk(root)) {
      files =
          s.filter(Files::isRegularFile)
              .map(p -> root.relativize(p).toString())
              .filter(p -> !p.endsWith(".json") && !p.endsWith(".xsd"))
              .sorted()
              .toList();
    }
    assertThat(files).containsExactlyElementsOf(EXPECTED.keySet());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void importPaths_sampleFile_storesExpectedCounts(String file, @TempDir Path tmp)
      throws Exception {
    Path path = TestPaths.suite("dmarc").resolve(file);
    try (Store store = Store.builder(StoreLocation.embedded(tmp)).build()) {
      FeedbackStore sink = FeedbackStore.open(store, CLOCK);
      ImportOutcome outcome = FeedbackImporter.builder(sink).build().importPaths(List.of(path));
      long[] want = EXPECTED.get(file);
      assertThat(outcome.failures()).isEmpty();
      assertThat(outcome.imported()).isEqualTo(want[0] + want[3]);
      long[] counts = new FeedbackQueries(store).counts();
      long messages =
          store.inTransaction(
              c -> {
                try (var rs =
                    c.createStatement()
                        .executeQuery("SELECT COALESCE(SUM(messages), 0) FROM feedback_record")) {
                  rs.next();
                  return rs.getLong(1);
                }
              });
      assertThat(new long[] {counts[0], counts[1], messages, counts[2]}).containsExactly(want);

      ImportOutcome again = FeedbackImporter.builder(sink).build().importPaths(List.of(path));
      assertThat(again.imported()).isZero();
      assertThat(again.duplicates()).isEqualTo(want[0] + want[3]);
      assertThat(new FeedbackQueries(store).counts()).containsExactly(counts);
    }
  }

  @Test
  void importPaths_wholeTreeTwice_secondChangesNothing(@TempDir Path tmp) throws Exception {
    Path root = TestPaths.suite("dmarc");
    try (Store store = Store.builder(StoreLocation.embedded(tmp)).build()) {
      FeedbackStore sink = FeedbackStore.open(store, CLOCK);
      ImportOutcome first = FeedbackImporter.builder(sink).build().importPaths(List.of(root));
      long files = EXPECTED.size();
      // Some samples are copies of one report, stored once: veeam.com = invalid_xml.xml,
      // !example.com = invalid_utf_8.xml, and rfc9990-sample.xml = rfc9990/dmarc-xml-0.2.xml =
      // stalwart 001.xml = 004.xml (same org, report id and domain); the two LinkedIn failure
      // reports differ only in line ends (same Message-ID).
      assertThat(first.failed()).isZero();
      assertThat(first.imported() + first.duplicates()).isEqualTo(files);
      assertThat(first.duplicates()).isEqualTo(1 + 1 + 3 + 1);
      long[] counts = new FeedbackQueries(store).counts();
      assertThat(counts[0] + counts[2]).isEqualTo(first.imported());

      ImportOutcome second = FeedbackImporter.builder(sink).build().importPaths(List.of(root));
      assertThat(second.imported()).isZero();
      assertThat(second.duplicates()).isEqualTo(files);
      assertThat(new FeedbackQueries(store).counts()).containsExactly(counts);
    }
  }
}
