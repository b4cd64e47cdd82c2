package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;
import org.authmill.dns.ParseResult;

/**
 * {@link DmarcRecord#parse} on any text (RFC 9989 §4.8): a value, never an exception; refused only
 * when the text does not start with {@code v=DMARC1} or is over the size bound; a record with a
 * policy, written back by {@link DmarcRecordBuilder}, parses to the same policy.
 */
class DmarcRecordFuzzTest {
  @FuzzTest(maxDuration = "30s")
  void parse_anyText_recordOrRefusalAndRoundTrip(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ParseResult<DmarcRecord> result = DmarcRecord.parse(text);
    if (result instanceof ParseResult.Invalid<DmarcRecord> invalid) {
      assertThat(invalid.reason()).isNotBlank();
      assertThat(DmarcRecord.isDmarcRecord(text) && text.length() <= DmarcRecord.MAX_RECORD_LENGTH)
          .as("refused although a record: %s", invalid.reason())
          .isFalse();
      return;
    }
    DmarcRecord record = result.value().orElseThrow();
    assertThat(DmarcRecord.isDmarcRecord(text)).isTrue();
    for (RecordProblem p : record.problems()) {
      assertThat(p.message()).isNotBlank();
    }
    if (record.policy().isEmpty()) {
      return;
    }
    DmarcRecordBuilder builder =
        new DmarcRecordBuilder()
            .policy(record.policy().get())
            .dkimAlignment(record.dkimAlignment())
            .spfAlignment(record.spfAlignment())
            .testing(record.testing())
            .psd(record.psd());
    record.subdomainPolicy().ifPresent(builder::subdomainPolicy);
    record.nonExistentPolicy().ifPresent(builder::nonExistentPolicy);
    if (!record.failureOptions().isEmpty()) {
      builder.failureOptions(
          record.failureOptions().stream()
              .map(FailureOption::tagValue)
              .collect(Collectors.joining(":")));
    }
    record.aggregateReportUris().forEach(u -> builder.aggregateReport(u.toString()));
    record.failureReportUris().forEach(u -> builder.failureReport(u.toString()));
    DmarcRecord again = DmarcRecord.parse(builder.text()).value().orElseThrow();
    assertThat(again.problems()).isEmpty();
    assertThat(again.policy()).isEqualTo(record.policy());
    assertThat(again.subdomainPolicy()).isEqualTo(record.subdomainPolicy());
    assertThat(again.nonExistentPolicy()).isEqualTo(record.nonExistentPolicy());
    assertThat(again.dkimAlignment()).isEqualTo(record.dkimAlignment());
    assertThat(again.spfAlignment()).isEqualTo(record.spfAlignment());
    assertThat(again.testing()).isEqualTo(record.testing());
    assertThat(again.psd()).isEqualTo(record.psd());
    assertThat(again.failureOptions()).isEqualTo(record.failureOptions());
    assertThat(again.aggregateReportUris()).isEqualTo(record.aggregateReportUris());
    assertThat(again.failureReportUris()).isEqualTo(record.failureReportUris());
  }
}
