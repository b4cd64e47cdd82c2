package org.authmill.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.authmill.testkit.DovecotServer;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * IMAP end to end with a real Dovecot on loopback (implicit TLS, its self-signed certificate
 * trusted explicitly): reports delivered to the mailbox are imported once and marked \Seen or
 * moved, as configured; a bad message is named and marked too; a re-run finds nothing new.
 */
class ImapSourceTest {
  private static final String AGG1 = "dmarc/parsedmarc/aggregate/twilight.eml";
  private static final String AGG2 = "dmarc/parsedmarc/aggregate/mimecast-weird-gzip.eml";
  private static final String ARF = "dmarc/parsedmarc/failure/dmarc_ruf_report_linkedin.eml";

  private static byte[] sample(String path) throws IOException {
    return Files.readAllBytes(TestPaths.suite(path));
  }

  private static ImapSource.Settings settings(
      DovecotServer imap, Optional<String> moveTo, Optional<Path> trust) {
    return new ImapSource.Settings(
        "127.0.0.1",
        imap.port(),
        true,
        imap.user(),
        imap.password(),
        "INBOX",
        moveTo,
        trust,
        Duration.ofSeconds(20));
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  @Timeout(120)
  void importMailbox_markSeen_importsOnceAndMarks(@TempDir Path tmp) throws Exception {
    try (DovecotServer imap = DovecotServer.start("reports", "s3cret-pw");
        Store store = Store.builder(StoreLocation.embedded(tmp)).build()) {
      imap.deliver("1.agg1", sample(AGG1));
      imap.deliver("2.agg2", sample(AGG2));
      imap.deliver("3.arf", sample(ARF));
      imap.deliver(
          "4.hello",
          "From: a@example.com\r\nSubject: lunch?\r\n\r\nno report here\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      FeedbackStore sink = FeedbackStore.open(store, SampleReportsTest.CLOCK);
      var settings = settings(imap, Optional.empty(), Optional.of(imap.certificate()));

      FeedbackImporter first = FeedbackImporter.builder(sink).build();
      ImapSource.Outcome run = ImapSource.importMailbox(settings, first);
      assertThat(run.fetched()).as(imap.log()).isEqualTo(4);
      assertThat(run.handled()).isEqualTo(4);
      ImportOutcome counts = first.outcome();
      assertThat(counts.imported()).isEqualTo(3);
      assertThat(counts.failed()).isEqualTo(1);
      assertThat(counts.failures().get(0).reason()).contains("no DMARC report");
      assertThat(new FeedbackQueries(store).counts()).containsExactly(2, 2, 1);
      // Dovecot keeps \Seen as the S flag of the Maildir file names in cur/.
      List<String> cur = files(imap.maildir().resolve("cur"));
      assertThat(cur).hasSize(4).allMatch(n -> n.matches(".*:2,[A-Z]*S[A-Z]*"));
      assertThat(files(imap.maildir().resolve("new"))).isEmpty();

      FeedbackImporter second = FeedbackImporter.builder(sink).build();
      assertThat(ImapSource.importMailbox(settings, second).fetched()).isZero();

      imap.deliver("5.again", sample(AGG1)); // the same report delivered twice
      FeedbackImporter third = FeedbackImporter.builder(sink).build();
      assertThat(ImapSource.importMailbox(settings, third).fetched()).isEqualTo(1);
      assertThat(third.outcome().duplicates()).isEqualTo(1);
      assertThat(third.outcome().imported()).isZero();
      assertThat(new FeedbackQueries(store).counts()).containsExactly(2, 2, 1);
    }
  }

  @Test
  @Timeout(120)
  void importMailbox_moveTo_leavesInboxEmpty(@TempDir Path tmp) throws Exception {
    try (DovecotServer imap = DovecotServer.start("reports", "s3cret-pw");
        Store store = Store.builder(StoreLocation.embedded(tmp)).build()) {
      imap.deliver("1.agg1", sample(AGG1));
      imap.deliver("2.arf", sample(ARF));
      FeedbackStore sink = FeedbackStore.open(store, SampleReportsTest.CLOCK);
      var settings = settings(imap, Optional.of("Processed"), Optional.of(imap.certificate()));
      FeedbackImporter importer = FeedbackImporter.builder(sink).build();
      ImapSource.Outcome run = ImapSource.importMailbox(settings, importer);
      assertThat(run.handled()).as(imap.log()).isEqualTo(2);
      assertThat(importer.outcome().imported()).isEqualTo(2);
      assertThat(files(imap.maildir().resolve("cur"))).isEmpty();
      assertThat(files(imap.maildir().resolve("new"))).isEmpty();
      Path processed = imap.maildir().resolve(".Processed");
      assertThat(files(processed.resolve("cur")).size() + files(processed.resolve("new")).size())
          .isEqualTo(2);
      assertThat(
              ImapSource.importMailbox(settings, FeedbackImporter.builder(sink).build()).fetched())
          .isZero();
    }
  }

  @Test
  @Timeout(120)
  void importMailbox_untrustedCertificateOrBadPassword_refused(@TempDir Path tmp) throws Exception {
    try (DovecotServer imap = DovecotServer.start("reports", "s3cret-pw");
        Store store = Store.builder(StoreLocation.embedded(tmp)).build()) {
      FeedbackStore sink = FeedbackStore.open(store, SampleReportsTest.CLOCK);
      // The system trust store does not know the test server's self-signed certificate.
      assertThatThrownBy(
              () ->
                  ImapSource.importMailbox(
                      settings(imap, Optional.empty(), Optional.empty()),
                      FeedbackImporter.builder(sink).build()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("imaps://reports@127.0.0.1");
      var wrong =
          new ImapSource.Settings(
              "127.0.0.1",
              imap.port(),
              true,
              "reports",
              "wrong",
              "INBOX",
              Optional.empty(),
              Optional.of(imap.certificate()),
              Duration.ofSeconds(20));
      assertThatThrownBy(
              () -> ImapSource.importMailbox(wrong, FeedbackImporter.builder(sink).build()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("IMAP");
    }
  }
}
