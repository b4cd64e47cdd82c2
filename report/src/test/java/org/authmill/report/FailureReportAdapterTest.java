package org.authmill.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.authmill.auth.AuthOutcome;
import org.authmill.auth.AuthStream;
import org.authmill.auth.Authenticator;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSignatureField;
import org.authmill.dkim.DkimSigner;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.dns.ZoneResolver;
import org.junit.jupiter.api.Test;

class FailureReportAdapterTest {
  private static final DkimPrivateKey KEY = DkimPrivateKey.generateEd25519();
  private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");
  private static final String ZONE =
      zone("example.com", "p=reject; ruf=mailto:ruf@example.com")
          + zone("one.example", "p=none; fo=1; ruf=mailto:ruf@one.example")
          + zone("ds.example", "p=none; fo=d:s; ruf=mailto:ruf@ds.example")
          + zone("noruf.example", "p=reject; fo=1")
          + zone("psd.example", "p=reject; psd=y; ruf=mailto:ruf@psd.example");

  private static String zone(String domain, String tags) {
    return "_dmarc."
        + domain
        + ". 300 IN TXT \"v=DMARC1; "
        + tags
        + "\"\n"
        + domain
        + ". 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n"
        + "sel._domainkey."
        + domain
        + ". 300 IN TXT \""
        + KEY.keyRecord()
        + "\"\n";
  }

  /** Checks a message from {@code from}, signed by its domain (and broken) when asked. */
  private static AuthOutcome check(String client, String from, boolean sign, boolean broken)
      throws Exception {
    Authenticator a =
        Authenticator.builder(ZoneResolver.fromText(ZONE)).authservId("mx.test").build();
    String domain = from.substring(from.indexOf('@') + 1);
    String message =
        "From: "
            + from
            + "\r\nSubject: hi\r\nDate: Thu, 3 Dec 2026 12:00:00 +0000\r\n\r\nhello\r\n";
    if (sign) {
      DkimSigner signer = DkimSigner.builder().domain(domain).selector("sel").key(KEY).build();
      List<DkimSignatureField> sig =
          DkimSignStream.sign(
              List.of(signer),
              new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
      message = sig.get(0).field() + "\r\n" + message;
      if (broken) {
        message = message.replace("hello", "HELLO");
      }
    }
    AuthStream s = a.begin(InetAddress.getByName(client), "helo.example", "bounce@" + domain);
    String[] parts = message.split("\r\n\r\n", 2);
    for (String field : parts[0].split("\r\n(?![ \t])")) {
      byte[] b = (field + "\r\n").getBytes(StandardCharsets.US_ASCII);
      s.header(b, 0, b.length);
    }
    s.endOfHeaders();
    s.body(ByteBuffer.wrap(parts[1].getBytes(StandardCharsets.US_ASCII)));
    return s.finish().toCompletableFuture().get();
  }

  private static final List<FailureEvent.HeaderField> HEADERS =
      List.of(
          new FailureEvent.HeaderField("From", " a@example.com"),
          new FailureEvent.HeaderField("Subject", " hi"));

  private static Optional<FailureEvent> event(
      AuthOutcome outcome, String client, DmarcPolicy applied) throws Exception {
    return FailureReportAdapter.toEvent(
        outcome, InetAddress.getByName(client), Optional.of("Q1"), NOW, applied, HEADERS);
  }

  @Test
  void toEvent_fo0DmarcFail_oneDmarcReportNamingBothMechanisms() throws Exception {
    AuthOutcome outcome = check("198.51.100.7", "a@example.com", false, false);
    FailureEvent e = event(outcome, "198.51.100.7", DmarcPolicy.REJECT).orElseThrow();
    assertThat(e.kinds()).containsExactly(FailureKind.DMARC);
    assertThat(e.identityAlignment()).isEqualTo("dkim, spf");
    assertThat(e.policyDomain()).isEqualTo("example.com");
    assertThat(e.authorDomain()).isEqualTo("example.com");
    assertThat(e.sourceIp()).isEqualTo("198.51.100.7");
    assertThat(e.mailFrom()).contains("bounce@example.com");
    assertThat(e.queueId()).contains("Q1");
    assertThat(e.spfDomain()).contains("example.com");
    assertThat(e.deliveryResult()).isEqualTo("reject");
    assertThat(e.ruf()).containsExactly("mailto:ruf@example.com");
    assertThat(e.headers()).isEqualTo(HEADERS);
    assertThat(e.authenticationResults()).contains("dmarc=fail");
  }

  @Test
  void toEvent_fo0DmarcPass_noReport() throws Exception {
    AuthOutcome outcome = check("192.0.2.1", "a@example.com", false, false);
    assertThat(event(outcome, "192.0.2.1", DmarcPolicy.NONE)).isEmpty();
  }

  @Test
  void toEvent_fo1OneMechanismUnaligned_reportsThoughDmarcPassed() throws Exception {
    AuthOutcome outcome = check("192.0.2.1", "a@one.example", false, false);
    assertThat(outcome.dmarc().result().keyword()).isEqualTo("pass");
    FailureEvent e = event(outcome, "192.0.2.1", DmarcPolicy.NONE).orElseThrow();
    assertThat(e.kinds()).containsExactly(FailureKind.DMARC);
    assertThat(e.identityAlignment()).isEqualTo("dkim");
    assertThat(e.deliveryResult()).isEqualTo("delivered");
  }

  @Test
  void toEvent_fo1BothAligned_noReport() throws Exception {
    AuthOutcome outcome = check("192.0.2.1", "a@one.example", true, false);
    assertThat(event(outcome, "192.0.2.1", DmarcPolicy.NONE)).isEmpty();
  }

  @Test
  void toEvent_foDs_dkimAndSpfReportsForABrokenSignatureAndAnSpfFail() throws Exception {
    AuthOutcome outcome = check("198.51.100.7", "a@ds.example", true, true);
    FailureEvent e = event(outcome, "198.51.100.7", DmarcPolicy.NONE).orElseThrow();
    assertThat(e.kinds()).containsExactly(FailureKind.DKIM, FailureKind.SPF);
    assertThat(e.dkim()).contains(new FailureEvent.Signature("ds.example", "@ds.example", "sel"));
  }

  @Test
  void toEvent_foDsNothingFailed_noReport() throws Exception {
    AuthOutcome outcome = check("192.0.2.1", "a@ds.example", true, false);
    assertThat(event(outcome, "192.0.2.1", DmarcPolicy.NONE)).isEmpty();
  }

  @Test
  void toEvent_withoutRufOrUnderPsdY_noReport() throws Exception {
    assertThat(
            event(
                check("198.51.100.7", "a@noruf.example", false, false),
                "198.51.100.7",
                DmarcPolicy.REJECT))
        .isEmpty();
    assertThat(
            event(
                check("198.51.100.7", "a@psd.example", false, false),
                "198.51.100.7",
                DmarcPolicy.REJECT))
        .isEmpty();
  }

  @Test
  void toEvent_reportMessages_neverEarnReports() throws Exception {
    AuthOutcome outcome = check("198.51.100.7", "a@example.com", false, false);
    List<FailureEvent.HeaderField> arf =
        List.of(
            new FailureEvent.HeaderField(
                "Content-Type", " Multipart/Report; report-type=feedback-report; boundary=x"));
    List<FailureEvent.HeaderField> aggregate =
        List.of(
            new FailureEvent.HeaderField(
                "Subject",
                " Report Domain: example.com Submitter: r.example Report-ID: <1.example.com@r>"));
    for (List<FailureEvent.HeaderField> headers : List.of(arf, aggregate)) {
      assertThat(
              FailureReportAdapter.toEvent(
                  outcome,
                  InetAddress.getByName("198.51.100.7"),
                  Optional.empty(),
                  NOW,
                  DmarcPolicy.REJECT,
                  headers))
          .isEmpty();
    }
  }
}
