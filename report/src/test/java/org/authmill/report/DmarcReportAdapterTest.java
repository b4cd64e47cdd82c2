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
import org.authmill.dmarc.DmarcMode;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.dns.ZoneResolver;
import org.junit.jupiter.api.Test;

class DmarcReportAdapterTest {
  private static final DkimPrivateKey KEY = DkimPrivateKey.generateEd25519();
  private static final Instant NOW = Instant.parse("2026-11-30T12:00:00Z");
  private static final String ZONE =
      "_dmarc.example.com. 300 IN TXT \"v=DMARC1; p=reject; sp=quarantine; np=reject; adkim=s;"
          + " fo=1:d; rua=mailto:d@example.com,mailto:x@vendor.example!10m\"\n"
          + "example.com. 300 IN TXT \"v=spf1 ip4:192.0.2.1 -all\"\n"
          + "_dmarc.testing.example. 300 IN TXT \"v=DMARC1; p=reject; t=y; psd=n\"\n"
          + "testing.example. 300 IN TXT \"v=spf1 -all\"\n"
          + "sel._domainkey.example.com. 300 IN TXT \""
          + KEY.keyRecord()
          + "\"\n";

  private static AuthOutcome check(String client, String mailFrom, String from, boolean sign)
      throws Exception {
    Authenticator a =
        Authenticator.builder(ZoneResolver.fromText(ZONE)).authservId("mx.test").build();
    String body = "hello\r\n";
    String head = "From: " + from + "\r\nSubject: hi\r\nDate: Mon, 30 Nov 2026 12:00:00 +0000\r\n";
    String message = head + "\r\n" + body;
    if (sign) {
      DkimSigner signer =
          DkimSigner.builder().domain("example.com").selector("sel").key(KEY).build();
      List<DkimSignatureField> sig =
          DkimSignStream.sign(
              List.of(signer),
              new ByteArrayInputStream(message.getBytes(StandardCharsets.US_ASCII)));
      message = sig.get(0).field() + "\r\n" + message;
    }
    AuthStream s = a.begin(InetAddress.getByName(client), "helo.example", mailFrom);
    String[] parts = message.split("\r\n\r\n", 2);
    for (String field : parts[0].split("\r\n(?![ \t])")) {
      byte[] b = (field + "\r\n").getBytes(StandardCharsets.US_ASCII);
      s.header(b, 0, b.length);
    }
    s.endOfHeaders();
    s.body(ByteBuffer.wrap(parts[1].getBytes(StandardCharsets.US_ASCII)));
    return s.finish().toCompletableFuture().get();
  }

  @Test
  void toEvent_alignedPass_reportsEveryPublishedTag() throws Exception {
    AuthOutcome outcome = check("192.0.2.1", "bounce@example.com", "a@example.com", true);
    ReportEvent e =
        DmarcReportAdapter.toEvent(
                outcome,
                InetAddress.getByName("192.0.2.1"),
                Optional.of("rcpt@Receiver.Example"),
                NOW,
                DmarcMode.RFC9989,
                DmarcPolicy.REJECT,
                Optional.empty())
            .orElseThrow();
    assertThat(e.published())
        .isEqualTo(
            new PolicyPublished(
                "example.com",
                "reject",
                Optional.of("quarantine"),
                Optional.of("reject"),
                "s",
                "r",
                "treewalk",
                "1:d",
                "n",
                "u"));
    assertThat(e.aggregateReportUris())
        .containsExactly("mailto:d@example.com", "mailto:x@vendor.example");
    ReportRow row = e.row();
    assertThat(row.sourceIp()).isEqualTo("192.0.2.1");
    assertThat(row.headerFrom()).isEqualTo("example.com");
    assertThat(row.envelopeFrom()).contains("example.com");
    assertThat(row.envelopeTo()).contains("receiver.example");
    assertThat(row.evaluated()).isEqualTo(new PolicyEvaluated("pass", "pass", "pass", List.of()));
    assertThat(row.spf()).contains(SpfAuth.mfrom("example.com", "pass"));
    assertThat(row.dkim()).containsExactly(new DkimAuth("example.com", "sel", "pass"));
    assertThat(e.time()).isEqualTo(NOW);
  }

  @Test
  void toEvent_failUnderTestingAndLocalPolicy_givesBothReasons() throws Exception {
    AuthOutcome outcome = check("198.51.100.9", "", "a@testing.example", false);
    ReportEvent e =
        DmarcReportAdapter.toEvent(
                outcome,
                InetAddress.getByName("198.51.100.9"),
                Optional.empty(),
                NOW,
                DmarcMode.RFC9989,
                DmarcPolicy.NONE,
                Optional.empty())
            .orElseThrow();
    assertThat(e.published().testing()).isEqualTo("y");
    assertThat(e.published().psd()).isEqualTo("n");
    assertThat(e.row().envelopeFrom()).as("null reverse-path").contains("");
    assertThat(e.row().evaluated().disposition()).isEqualTo("none");
    assertThat(e.row().evaluated().dkim()).isEqualTo("fail");
    assertThat(e.row().evaluated().reasons())
        .extracting(OverrideReason::type)
        .containsExactly("policy_test_mode", "local_policy");
    assertThat(e.row().spf())
        .hasValueSatisfying(s -> assertThat(s.domain()).isEqualTo("helo.example"));
  }

  @Test
  void toEvent_failEnforced_reportsTheDisposition() throws Exception {
    AuthOutcome outcome = check("198.51.100.9", "x@example.com", "a@example.com", false);
    ReportEvent e =
        DmarcReportAdapter.toEvent(
                outcome,
                InetAddress.getByName("198.51.100.9"),
                Optional.empty(),
                NOW,
                DmarcMode.RFC9989,
                DmarcPolicy.REJECT,
                Optional.empty())
            .orElseThrow();
    assertThat(e.row().evaluated())
        .isEqualTo(new PolicyEvaluated("reject", "fail", "fail", List.of()));
    assertThat(e.row().spf()).contains(SpfAuth.mfrom("example.com", "fail"));
  }

  @Test
  void toEvent_failOverriddenByTrustedSealer_reportsLocalPolicyWithItsComment() throws Exception {
    AuthOutcome outcome = check("198.51.100.9", "x@example.com", "a@example.com", false);
    ReportEvent e =
        DmarcReportAdapter.toEvent(
                outcome,
                InetAddress.getByName("198.51.100.9"),
                Optional.empty(),
                NOW,
                DmarcMode.RFC9989,
                DmarcPolicy.NONE,
                Optional.of("arc=pass; trusted sealer lists.example.org i=1"))
            .orElseThrow();
    assertThat(e.row().evaluated().disposition()).isEqualTo("none");
    assertThat(e.row().evaluated().reasons())
        .containsExactly(
            new OverrideReason(
                "local_policy", Optional.of("arc=pass; trusted sealer lists.example.org i=1")));
  }

  @Test
  void toEvent_failFromTrustedForwarder_reportsTrustedForwarderWithItsComment() throws Exception {
    AuthOutcome outcome = check("198.51.100.9", "x@example.com", "a@example.com", false);
    OverrideReason forwarder =
        new OverrideReason(
            "trusted_forwarder", Optional.of("198.51.100.0/24 (client 198.51.100.9)"));
    ReportEvent e =
        DmarcReportAdapter.toEvent(
                outcome,
                InetAddress.getByName("198.51.100.9"),
                Optional.empty(),
                NOW,
                DmarcMode.RFC9989,
                DmarcPolicy.NONE,
                forwarder)
            .orElseThrow();
    assertThat(e.row().evaluated().disposition()).isEqualTo("none");
    assertThat(e.row().evaluated().reasons()).containsExactly(forwarder);
    // the reason is given only when the filter applied less than asked
    ReportEvent enforced =
        DmarcReportAdapter.toEvent(
                outcome,
                InetAddress.getByName("198.51.100.9"),
                Optional.empty(),
                NOW,
                DmarcMode.RFC9989,
                DmarcPolicy.REJECT,
                forwarder)
            .orElseThrow();
    assertThat(enforced.row().evaluated().reasons()).isEmpty();
  }

  @Test
  void toEvent_noDmarcRecord_isNotReported() throws Exception {
    AuthOutcome outcome = check("192.0.2.1", "a@nodmarc.example", "a@nodmarc.example", false);
    assertThat(
            DmarcReportAdapter.toEvent(
                outcome,
                InetAddress.getByName("192.0.2.1"),
                Optional.empty(),
                NOW,
                DmarcMode.RFC9989,
                DmarcPolicy.REJECT,
                Optional.empty()))
        .isEmpty();
  }

  @Test
  void isReportSubject_matchesRfc9990SubjectsOnly() {
    assertThat(
            ReportMail.isReportSubject(
                "Report Domain: example.com\r\n Submitter: r.example Report-ID: <1>"))
        .isTrue();
    assertThat(ReportMail.isReportSubject("Re: Report Domain: example.com Submitter: r.example"))
        .isFalse();
  }
}
