package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.authmill.dkim.Canonicalization;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSignatureField;
import org.authmill.dkim.DkimSigner;
import org.authmill.report.AggregateReport;
import org.authmill.report.CountedRow;
import org.authmill.report.OverrideReason;
import org.authmill.report.ReportReader;
import org.authmill.report.ReportXml;
import org.authmill.report.ReporterIdentity;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;
import org.authmill.testkit.NsdServer;
import org.authmill.testkit.Peers;
import org.authmill.testkit.PostfixServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ARC end to end through two real Postfix + authmill hops (RFC 8617 §7.2), nothing but the first
 * message written by the test:
 *
 * <ol>
 *   <li>{@code ceo@bank.test} ({@code p=reject}, SPF {@code ip4:127.0.0.1}, DKIM-signed) sends to
 *       the list {@code board@fwd.test} from 127.0.0.1.
 *   <li>Hop 1, the forwarder {@code fwd.test}: Postfix tags the Subject ({@code header_checks}, as
 *       a mailing list does, which breaks bank.test's DKIM signature), its authmill checks the
 *       message (SPF aligned: DMARC pass) and seals it ({@code arc.seal}); Postfix expands the list
 *       address ({@code virtual_alias_maps}), gives it a new envelope sender {@code
 *       bounces@fwd.test} ({@code sender_canonical_maps}) and relays it from 127.0.0.2.
 *   <li>Hop 2, the receiver: SPF passes for fwd.test (not aligned), DKIM fails, so DMARC fails for
 *       bank.test. Trusting {@code fwd.test}, authmill delivers it with {@code arc=pass} and the
 *       override in Authentication-Results, and the aggregate report row says disposition {@code
 *       none}, reason {@code local_policy} naming the sealer. Without that trust it is refused
 *       {@code 550 5.7.1}, which hop 1 logs as the bounce.
 * </ol>
 */
class ArcForwarderPostfixEndToEndTest {
  private static final String RECEIVER = "mx.receiver.test";
  private static final String SUBJECT = "Board minutes";

  @TempDir static Path dir;
  private static NsdServer nsd;
  private static Path original;
  private static Path sealKey;

  private final List<AutoCloseable> open = new ArrayList<>();
  private FilterHarness receiverFilter;
  private PostfixServer receiver;
  private PostfixServer forwarder;
  private Path reportState;

  @BeforeAll
  static void prepare() throws Exception {
    DkimPrivateKey bankKey = DkimPrivateKey.generateRsa(2048);
    DkimPrivateKey arcKey = DkimPrivateKey.generateRsa(2048);
    nsd =
        NsdServer.serving(
            String.join(
                "\n",
                "bank.test. IN TXT \"v=spf1 ip4:127.0.0.1 -all\"",
                "_dmarc.bank.test. IN TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@bank.test\"",
                "mail._domainkey.bank.test. IN TXT " + quoted(bankKey.keyRecord()),
                "fwd.test. IN TXT \"v=spf1 ip4:127.0.0.2 -all\"",
                "arc._domainkey.fwd.test. IN TXT " + quoted(arcKey.keyRecord()),
                ""));
    sealKey = dir.resolve("arc.pem");
    Files.writeString(sealKey, arcKey.toPkcs8Pem());
    Files.setPosixFilePermissions(sealKey, PosixFilePermissions.fromString("rw-------"));
    String unsigned =
        "From: CEO <ceo@bank.test>\r\n"
            + "To: Board <board@fwd.test>\r\n"
            + "Subject: "
            + SUBJECT
            + "\r\n"
            + "Date: Thu, 03 Dec 2026 09:00:00 +0000\r\n"
            + "Message-ID: <minutes@bank.test>\r\n"
            + "\r\n"
            + "The minutes are attached.\r\n";
    DkimSigner bank =
        DkimSigner.builder()
            .domain("bank.test")
            .selector("mail")
            .key(bankKey)
            .canonicalization(Canonicalization.RELAXED, Canonicalization.RELAXED)
            .build();
    List<DkimSignatureField> signature =
        DkimSignStream.sign(
            List.of(bank), new ByteArrayInputStream(unsigned.getBytes(StandardCharsets.US_ASCII)));
    original =
        Files.writeString(
            dir.resolve("original.eml"), signature.get(0).field() + "\r\n" + unsigned);
  }

  @AfterAll
  static void stopDns() {
    if (nsd != null) {
      nsd.close();
    }
  }

  @AfterEach
  void stop() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** The receiver (hop 2) with these trusted sealers, recording aggregate reports; then hop 1. */
  private void start(String trustedSealers) throws Exception {
    start(trustedSealers, "", "[]");
  }

  /**
   * As {@link #start(String)}, with a signing section for hop 1 and the From: domains whose
   * outbound mail it seals.
   */
  private void start(String trustedSealers, String signing, String sealOutbound) throws Exception {
    reportState = Files.createTempDirectory(dir, "report");
    receiverFilter =
        FilterHarness.start(
            String.join(
                "\n",
                "authserv-id: " + RECEIVER,
                "dns:",
                "  nameservers: [127.0.0.1:" + nsd.port() + "]",
                "  timeout: 1s",
                "report:",
                "  org: Receiver Org",
                "  email: dmarc-reports@receiver.test",
                "  state-dir: " + reportState,
                "  flush-interval: 200ms",
                "  send: false",
                "arc:",
                "  trusted-sealers: [" + trustedSealers + "]",
                ""));
    open.add(receiverFilter);
    receiver =
        PostfixServer.builder()
            .milter("inet:127.0.0.1:" + receiverFilter.server().milterPort())
            .set("myhostname", RECEIVER)
            .start();
    open.add(receiver);

    FilterHarness forwarderFilter =
        FilterHarness.start(
            String.join(
                "\n",
                "authserv-id: mx.fwd.test",
                "dns:",
                "  nameservers: [127.0.0.1:" + nsd.port() + "]",
                "  timeout: 1s",
                signing,
                "arc:",
                "  seal:",
                "    domain: fwd.test",
                "    selector: arc",
                "    key: " + sealKey,
                "    outbound: " + sealOutbound,
                ""));
    open.add(forwarderFilter);
    Path maps = Files.createTempDirectory(dir, "maps");
    Files.setPosixFilePermissions(maps, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path subjectTag =
        Files.writeString(
            maps.resolve("header_checks"), "/^Subject: (.*)$/ REPLACE Subject: [board] ${1}\n");
    Path newSender = Files.writeString(maps.resolve("sender"), "/^.+$/ bounces@fwd.test\n");
    Path members =
        Files.writeString(maps.resolve("members"), "/^board@fwd\\.test$/ bob@receiver.test\n");
    for (Path p : List.of(subjectTag, newSender, members)) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }
    forwarder =
        PostfixServer.builder()
            .milter("inet:127.0.0.1:" + forwarderFilter.server().milterPort())
            .set("myhostname", "mx.fwd.test")
            .set("relayhost", "[127.0.0.1]:" + receiver.smtpPort())
            .set("smtp_bind_address", "127.0.0.2")
            .set("header_checks", "regexp:" + subjectTag)
            .set("sender_canonical_maps", "regexp:" + newSender)
            .set("sender_canonical_classes", "envelope_sender")
            .set("virtual_alias_maps", "regexp:" + members)
            .start();
    open.add(forwarder);
  }

  @Test
  void trustedSealer_deliveredWithArcPassAndTheOverrideReportedAsLocalPolicy() throws Exception {
    start("fwd.test");
    String out = send(forwarder.smtpPort());
    assertThat(out).contains("250 2.0.0");

    Path delivered = awaitMinutes(receiver, Duration.ofSeconds(60));
    List<String> fields = fields(delivered);
    assertThat(field(fields, "Subject:")).isEqualTo("Subject: [board] " + SUBJECT);
    assertThat(fields).anyMatch(f -> f.startsWith("ARC-Seal:") && f.contains("d=fwd.test"));
    String forwarderResults = results(fields, "mx.fwd.test");
    assertThat(forwarderResults)
        .contains("spf=pass")
        .contains("smtp.mailfrom=ceo@bank.test")
        .contains("dmarc=pass");
    String ours = results(fields, RECEIVER);
    assertThat(ours)
        .contains("spf=pass")
        .contains("smtp.mailfrom=bounces@fwd.test")
        .contains("dkim=fail")
        .contains("dmarc=fail")
        .contains("overridden by ARC: trusted sealer fwd.test i=1 recorded dmarc=pass")
        .contains("policy.override=arc")
        .contains("arc=pass header.oldest-pass=1 smtp.remote-ip=127.0.0.2")
        .contains("arc.chain=fwd.test");

    // the report row, read back from the embedded store after the receiver flushed it
    receiverFilter.close();
    open.remove(receiverFilter);
    AggregateReport report = storedReport("bank.test");
    assertThat(report.messageCount()).isEqualTo(1);
    CountedRow row = report.records().get(0);
    assertThat(row.row().sourceIp()).isEqualTo("127.0.0.2");
    assertThat(row.row().evaluated().disposition()).isEqualTo("none");
    assertThat(row.row().evaluated().dkim()).isEqualTo("fail");
    assertThat(row.row().evaluated().spf()).isEqualTo("fail");
    assertThat(row.row().evaluated().reasons()).hasSize(1);
    OverrideReason reason = row.row().evaluated().reasons().get(0);
    assertThat(reason.type()).isEqualTo("local_policy");
    assertThat(reason.comment()).hasValueSatisfying(c -> assertThat(c).contains("fwd.test"));
  }

  @Test
  void untrustedSealer_rejected550AtTheReceiver() throws Exception {
    start("lists.elsewhere.test");
    String out = send(forwarder.smtpPort());
    assertThat(out).contains("250 2.0.0"); // hop 1 accepts; hop 2 refuses when hop 1 relays
    String log = awaitLog(forwarder, "status=bounced", Duration.ofSeconds(60));
    assertThat(log)
        .contains("550 5.7.1")
        .contains("Email from bank.test rejected")
        .contains("p=reject");
    receiver.awaitQueueEmpty(Duration.ofSeconds(20));
    // the receiver may deliver hop 1's bounce (to bounces@fwd.test), never the list message
    for (Path p : receiver.delivered()) {
      assertThat(fields(p)).noneMatch(f -> f.startsWith("Subject: [board]"));
    }
  }

  /**
   * Outbound sealing through real Postfix: a fwd.test user submits on hop 1's submission port
   * ({@code ORIGINATING}); hop 1's authmill DKIM-signs and, fwd.test being in {@code
   * arc.seal.outbound}, seals the message (i=1, cv=none) over its DKIM signature; the receiver
   * finds {@code dkim=pass} and {@code arc=pass}, and dkimpy's ARC verifier agrees on the delivered
   * file.
   */
  @Test
  void outboundSealed_passesAtTheReceiverAndInDkimpy() throws Exception {
    start(
        "lists.elsewhere.test", "signing:\n  keys: ['fwd.test:arc:" + sealKey + "']", "[fwd.test]");
    Path message =
        Files.writeString(
            dir.resolve("outbound.eml"),
            "From: Staff <staff@fwd.test>\r\n"
                + "To: bob@receiver.test\r\n"
                + "Subject: "
                + SUBJECT
                + "\r\n"
                + "Date: Thu, 03 Dec 2026 11:00:00 +0000\r\n"
                + "Message-ID: <outbound@fwd.test>\r\n"
                + "\r\n"
                + "Sent from fwd.test.\r\n");
    String out = swaks(forwarder.submissionPort(), "staff@fwd.test", "bob@receiver.test", message);
    assertThat(out).contains("250 2.0.0");
    Path delivered = awaitMinutes(receiver, Duration.ofSeconds(60));
    List<String> fields = fields(delivered);
    String seal = field(fields, "ARC-Seal:");
    assertThat(seal).contains("d=fwd.test").contains("i=1").contains("cv=none");
    assertThat(field(fields, "ARC-Message-Signature:")).contains("dkim-signature");
    assertThat(field(fields, "ARC-Authentication-Results:"))
        .contains("i=1; mx.fwd.test;")
        .contains("arc=none (outbound: daemon ORIGINATING)");
    assertThat(results(fields, RECEIVER))
        .contains("dkim=pass")
        .contains("header.d=fwd.test")
        .contains("arc=pass header.oldest-pass=1 smtp.remote-ip=127.0.0.2")
        .contains("arc.chain=fwd.test");
    // dkimpy's ARC verifier on the delivered message (smtp-sink's file, LF made CRLF)
    String text = Files.readString(delivered, StandardCharsets.ISO_8859_1);
    byte[] crlf =
        text.replace("\r\n", "\n").replace("\n", "\r\n").getBytes(StandardCharsets.ISO_8859_1);
    Path python = Peers.python3Module("dkim", "python3-dkim");
    Process p =
        new ProcessBuilder(
                python.toString(),
                org.authmill.testkit.TestPaths.testdata("arc/arc_peer.py").toString(),
                "verify",
                String.valueOf(nsd.port()))
            .redirectErrorStream(true)
            .start();
    try (var stdin = p.getOutputStream()) {
      stdin.write(crlf);
    }
    String verdict = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(verdict).isZero();
    assertThat(verdict).as(verdict).startsWith("pass");
  }

  private AggregateReport storedReport(String domain) {
    long now = Instant.now().getEpochSecond();
    try (Store store = Store.builder(StoreLocation.embedded(reportState)).build()) {
      AggregateReport report =
          new ReportReader(store)
              .report(
                  ReporterIdentity.of("Receiver Org", "dmarc-reports@receiver.test"),
                  domain,
                  now - 7 * 86400,
                  now + 86400)
              .orElseThrow(() -> new AssertionError("no report rows for " + domain));
      // as it would be sent: written as RFC 9990 XML and read back
      return ReportXml.parse(ReportXml.write(report));
    }
  }

  /** swaks from 127.0.0.1 as bank.test's outbound server. */
  private static String send(int port) throws Exception {
    return swaks(port, "ceo@bank.test", "board@fwd.test", original);
  }

  private static String swaks(int port, String from, String to, Path data) throws Exception {
    Path swaks = Peers.command("swaks", "swaks");
    Process p =
        new ProcessBuilder(
                swaks.toString(),
                "--server",
                "127.0.0.1:" + port,
                "--helo",
                "mail.bank.test",
                "--from",
                from,
                "--to",
                to,
                "--data",
                data.toString())
            .redirectErrorStream(true)
            .start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new String(out, StandardCharsets.ISO_8859_1);
  }

  /** The first delivered message with the list's Subject (bounded wait). */
  private static Path awaitMinutes(PostfixServer postfix, Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      for (Path p : postfix.delivered()) {
        if (postfix.queued() == 0
            && fields(p).stream().anyMatch(f -> f.startsWith("Subject: [board] " + SUBJECT))) {
          return p;
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("not delivered within " + timeout + "; mail log:\n" + postfix.log());
  }

  private static String awaitLog(PostfixServer postfix, String text, Duration timeout)
      throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    while (Instant.now().isBefore(deadline)) {
      String log = postfix.log();
      if (log.contains(text)) {
        return log;
      }
      Thread.sleep(100);
    }
    throw new AssertionError("no '" + text + "' within " + timeout + ":\n" + postfix.log());
  }

  /** Unfolded header fields of a delivered file. */
  private static List<String> fields(Path delivered) {
    List<String> fields = new ArrayList<>();
    for (String line : PostfixServer.headerLines(delivered)) {
      if (line.startsWith(" ") || line.startsWith("\t")) {
        if (!fields.isEmpty()) {
          int last = fields.size() - 1;
          fields.set(last, fields.get(last) + " " + line.strip());
        }
        continue;
      }
      fields.add(line);
    }
    return fields;
  }

  private static String field(List<String> fields, String prefix) {
    return fields.stream()
        .filter(f -> f.regionMatches(true, 0, prefix, 0, prefix.length()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + prefix + " in " + fields));
  }

  /** The one Authentication-Results field of an authserv-id. */
  private static String results(List<String> fields, String authservId) {
    List<String> found =
        fields.stream()
            .filter(f -> f.regionMatches(true, 0, "Authentication-Results:", 0, 23))
            .filter(f -> f.substring(23).strip().toLowerCase().startsWith(authservId))
            .toList();
    assertThat(found).as("Authentication-Results of " + authservId + " in " + fields).hasSize(1);
    return found.get(0);
  }

  private static String quoted(String record) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < record.length(); i += 200) {
      out.append('"').append(record, i, Math.min(record.length(), i + 200)).append("\" ");
    }
    return out.toString().strip();
  }
}
