package org.authmill.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Maildir folders and mbox files of report messages import like the files themselves. */
class MailSourcesTest {
  private static final List<String> MESSAGES =
      List.of(
          "dmarc/parsedmarc/aggregate/twilight.eml",
          "dmarc/parsedmarc/aggregate/mimecast-weird-gzip.eml",
          "dmarc/stalwart-mail-auth/aggregate/100.eml",
          "dmarc/parsedmarc/failure/_Netease_DMARC_Failure_Report_Rent_Reminder.eml");

  @Test
  void importPaths_maildir_readsNewAndCur(@TempDir Path tmp) throws Exception {
    Path maildir = tmp.resolve("Maildir");
    for (String sub : List.of("cur", "new", "tmp")) {
      Files.createDirectories(maildir.resolve(sub));
    }
    for (int i = 0; i < MESSAGES.size(); i++) {
      Path target =
          maildir.resolve(i % 2 == 0 ? "new" : "cur").resolve("17000000" + i + ".M1P1.host:2,S");
      Files.copy(TestPaths.suite(MESSAGES.get(i)), target);
    }
    Files.writeString(maildir.resolve("tmp").resolve("partial"), "From: x\n\nnot yet delivered");
    MemorySink sink = new MemorySink();
    ImportOutcome outcome = FeedbackImporter.builder(sink).build().importPaths(List.of(maildir));
    assertThat(outcome.failures()).isEmpty();
    assertThat(outcome.imported()).isEqualTo(4);
    assertThat(sink.aggregates).hasSize(3);
    assertThat(sink.failures).hasSize(1);
  }

  @Test
  void importPaths_mbox_splitsMessagesAndUnquotesFrom(@TempDir Path tmp) throws Exception {
    ByteArrayOutputStream mbox = new ByteArrayOutputStream();
    for (String m : MESSAGES) {
      mbox.write(
          "From MAILER-DAEMON Thu Dec  3 09:00:00 2026\n".getBytes(StandardCharsets.US_ASCII));
      String text =
          new String(Files.readAllBytes(TestPaths.suite(m)), StandardCharsets.ISO_8859_1)
              .replace("\r\n", "\n")
              .replaceAll("(?m)^(>*From )", ">$1");
      mbox.write(text.getBytes(StandardCharsets.ISO_8859_1));
      mbox.write('\n');
    }
    mbox.write(
        "From nobody Thu Dec  3 09:00:00 2026\nSubject: hi\n\nno report\n"
            .getBytes(StandardCharsets.US_ASCII));
    Path file = tmp.resolve("reports.mbox");
    Files.write(file, mbox.toByteArray());
    MemorySink sink = new MemorySink();
    ImportOutcome outcome = FeedbackImporter.builder(sink).build().importPaths(List.of(file));
    assertThat(outcome.imported()).isEqualTo(4);
    assertThat(outcome.failed()).isEqualTo(1);
    assertThat(outcome.failures().get(0).source()).endsWith("reports.mbox#5");
    assertThat(sink.aggregates.stream().mapToLong(AggregateReport::messages).sum()).isEqualTo(3);
  }
}
