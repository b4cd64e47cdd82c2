package org.authmill.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.authmill.feedback.AggregateReportParser;
import org.authmill.feedback.FeedbackImporter;
import org.authmill.feedback.FeedbackStore;
import org.authmill.feedback.ImportOutcome;
import org.authmill.feedback.ReportMetadata;
import org.authmill.feedback.ReportRecord;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Importing one received aggregate report of {@code records} records (issue 16: a report of
 * 1,000,000 rows), generated while it is read: {@code parse} is the StAX parser alone, {@code
 * importEmbedded} parses and stores it in a fresh embedded SQLite store in one transaction. One
 * operation is one whole report (single-shot time).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = "-Xmx256m")
public class FeedbackImportBenchmark {
  @Param({"1000000"})
  public long records;

  private Path dir;
  private Store store;
  private FeedbackStore sink;
  private int run;

  @Setup(Level.Iteration)
  public void setUp() throws IOException {
    dir = Files.createTempDirectory("authmill-feedback-bench");
    store = Store.builder(StoreLocation.embedded(dir)).build();
    sink = FeedbackStore.open(store, Clock.systemUTC());
  }

  @TearDown(Level.Iteration)
  public void tearDown() throws IOException {
    store.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public long parse() throws IOException {
    long[] count = new long[1];
    AggregateReportParser.parse(
        report(records, "parse"),
        new AggregateReportParser.Handler() {
          @Override
          public boolean metadata(ReportMetadata metadata) {
            return true;
          }

          @Override
          public void record(ReportRecord record) {
            count[0] += record.count();
          }
        });
    return count[0];
  }

  @Benchmark
  public ImportOutcome importEmbedded() {
    FeedbackImporter importer = FeedbackImporter.builder(sink).build();
    importer.importPayload("bench", report(records, "import-" + run++));
    ImportOutcome outcome = importer.outcome();
    if (outcome.imported() != 1) {
      throw new IllegalStateException("import failed: " + outcome.failures());
    }
    return outcome;
  }

  /** A report of {@code rows} records from 4,096 sources, produced as it is read. */
  static InputStream report(long rows, String id) {
    String head =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feedback"
            + " xmlns=\"urn:ietf:params:xml:ns:dmarc-2.0\"><version>1.0</version>"
            + "<report_metadata><org_name>bench.example</org_name><email>r@bench.example</email>"
            + "<report_id>"
            + id
            + "</report_id><date_range><begin>1700000000</begin><end>1700086399</end>"
            + "</date_range></report_metadata><policy_published><domain>example.com</domain>"
            + "<p>none</p></policy_published>\n";
    return new InputStream() {
      private byte[] chunk = head.getBytes(StandardCharsets.UTF_8);
      private int pos;
      private long next;
      private boolean done;

      @Override
      public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
      }

      @Override
      public int read(byte[] b, int off, int len) {
        while (pos >= chunk.length) {
          if (done) {
            return -1;
          }
          StringBuilder s = new StringBuilder();
          for (int k = 0; k < 256 && next < rows; k++, next++) {
            long host = next % 4096;
            String r = next % 2 == 0 ? "pass" : "fail";
            s.append("<record><row><source_ip>10.0.")
                .append(host >> 8)
                .append('.')
                .append(host & 255)
                .append("</source_ip><count>")
                .append(next % 7 + 1)
                .append("</count><policy_evaluated><disposition>none</disposition><dkim>")
                .append(r)
                .append("</dkim><spf>fail</spf></policy_evaluated></row><identifiers>")
                .append("<header_from>example.com</header_from></identifiers><auth_results>")
                .append("<dkim><domain>example.com</domain><selector>s1</selector><result>")
                .append(r)
                .append("</result></dkim><spf><domain>example.com</domain><result>fail</result>")
                .append("</spf></auth_results></record>\n");
          }
          if (next >= rows) {
            s.append("</feedback>\n");
            done = true;
          }
          chunk = s.toString().getBytes(StandardCharsets.UTF_8);
          pos = 0;
        }
        int n = Math.min(len, chunk.length - pos);
        System.arraycopy(chunk, pos, b, off, n);
        pos += n;
        return n;
      }
    };
  }
}
