package org.authmill.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The report parsers on any bytes: a value or a {@link ReportFormatException} with a message, never
 * another exception, a hang or unbounded memory.
 */
class FeedbackParsersFuzzTest {
  private static final DecompressionLimits SMALL =
      new DecompressionLimits(4L << 20, 200, 64 << 10, 8);

  @FuzzTest(maxDuration = "30s")
  void aggregate_anyBytes_reportOrFormatError(byte[] input) {
    try {
      AggregateReport report = AggregateReportParser.parse(new ByteArrayInputStream(input));
      assertThat(report.metadata().reportId()).isNotEmpty();
      assertThat(report.metadata().domain()).isNotEmpty();
      for (ReportRecord r : report.records()) {
        assertThat(r.count()).isNotNegative();
        assertThat(r.sourceIp()).isNotEmpty();
      }
    } catch (ReportFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
    } catch (IOException e) {
      throw new AssertionError("unexpected I/O error on in-memory input", e);
    }
  }

  @FuzzTest(maxDuration = "30s")
  void payload_anyBytes_documentsOrFormatError(byte[] input) {
    try {
      ReportPayloads.open(
          "fuzz",
          new ByteArrayInputStream(input),
          SMALL,
          (name, xml) -> {
            try {
              AggregateReportParser.parse(xml);
            } catch (ReportFormatException e) {
              assertThat(e.getMessage()).isNotBlank();
            }
          });
    } catch (ReportFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
    } catch (IOException e) {
      // java.util.zip reports some corruptions as plain IOExceptions (e.g. bad zip headers)
      assertThat(e.getMessage()).isNotNull();
    }
  }

  @FuzzTest(maxDuration = "30s")
  void message_anyBytes_reportsOrFormatError(byte[] input) {
    try {
      ReportMessageReader.read(
          new ByteArrayInputStream(input),
          new ReportMessageReader.Listener() {
            @Override
            public void attachment(String name, InputStream content) throws IOException {
              content.readNBytes(1 << 16);
            }

            @Override
            public void failure(FailureReport report) {
              assertThat(report.incidents()).isNotNull();
            }
          });
    } catch (ReportFormatException e) {
      assertThat(e.getMessage()).isNotBlank();
    } catch (IOException e) {
      throw new AssertionError("unexpected I/O error on in-memory input", e);
    }
  }
}
