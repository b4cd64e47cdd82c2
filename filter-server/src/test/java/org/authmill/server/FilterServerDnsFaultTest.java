package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSigner;
import org.authmill.milter.MilterReply;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.testkit.FakeDnsServer;
import org.authmill.testkit.FakeDnsServer.Reply;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Type;

/**
 * DNS faults through the milter: the filter server asks a misbehaving name server (over the
 * network, with its configured timeout and a short handler deadline) and still answers every
 * message within its deadline, with the RFCs' temperror or permerror in the Authentication-Results
 * field it inserts, and the configured error action.
 */
class FilterServerDnsFaultTest {
  /** The handler deadline configured: the DNS budget of a message is then 1 s. */
  private static final Duration DEADLINE = Duration.ofSeconds(2);

  /** A functional upper bound on one transaction, generous for a loaded two-core CI machine. */
  private static final Duration BOUND = DEADLINE.plusSeconds(4);

  private static final DkimPrivateKey KEY = DkimPrivateKey.generateEd25519();

  private static final byte[] MESSAGE = signed();

  private static byte[] signed() {
    byte[] message =
        ("From: Alice <a@example.com>\r\nTo: b@example.org\r\nSubject: dns faults\r\n\r\n"
                + "Hello\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    DkimSigner signer = DkimSigner.builder().domain("example.com").selector("sel").key(KEY).build();
    try {
      String field =
          DkimSignStream.sign(List.of(signer), new java.io.ByteArrayInputStream(message))
              .get(0)
              .field();
      return (field + "\r\n" + new String(message, StandardCharsets.ISO_8859_1))
          .getBytes(StandardCharsets.ISO_8859_1);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** What a working server answers. */
  private static Reply zone(FakeDnsServer.Query q) {
    String name = q.nameText();
    if (q.type() != Type.TXT) {
      return new Reply.Code(Rcode.NXDOMAIN);
    }
    return switch (name) {
      case "example.com", "mail.example.com" ->
          FakeDnsServer.txt(q, 300, "v=spf1 ip4:192.0.2.0/24 -all");
      case "sel._domainkey.example.com" -> FakeDnsServer.txt(q, 300, KEY.keyRecord());
      case "_dmarc.example.com" -> FakeDnsServer.txt(q, 300, "v=DMARC1; p=reject");
      default -> new Reply.Code(Rcode.NXDOMAIN);
    };
  }

  private static String config(FakeDnsServer dns, String onError) {
    return "authserv-id: mx.test.local\n"
        + "dns:\n  nameservers: [127.0.0.1:"
        + dns.address().getPort()
        + "]\n  timeout: 500ms\n"
        + "actions:\n  on-error: "
        + onError
        + "\nlimits:\n  handler-deadline: "
        + DEADLINE.toMillis()
        + "ms\ncaches:\n  dns-entries: 0\n  spf-results: 0\n  key-entries: 0\n";
  }

  /** Sends the signed message from 192.0.2.1, checks the time it took, returns the result. */
  private static MilterResult send(FakeDnsServer.Responder responder, String onError)
      throws Exception {
    try (FakeDnsServer dns = FakeDnsServer.start(responder);
        FilterHarness filter = FilterHarness.start(config(dns, onError))) {
      long start = System.nanoTime();
      MilterResult r =
          filter.send(
              "192.0.2.1",
              "mail.example.com",
              MilterTransaction.of("a@example.com", List.of("b@example.org"), MESSAGE, "Q1"));
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .as("answered within")
          .isLessThan(BOUND);
      FilterHarness.assertSafe(r);
      filter.awaitNoSessions();
      return r;
    }
  }

  private static String results(MilterResult r) {
    String ar = FilterHarness.added(r, "Authentication-Results");
    assertThat(ar).as("Authentication-Results inserted: %s", FilterHarness.show(r)).isNotNull();
    return ar;
  }

  @Test
  void workingServer_passes() throws Exception {
    MilterResult r = send(FilterServerDnsFaultTest::zone, "accept");
    assertThat(r.delivered()).isTrue();
    assertThat(results(r)).contains("spf=pass", "dkim=pass", "dmarc=pass");
  }

  @Test
  void silentServer_temperrorWithinTheDeadlineAndDelivered() throws Exception {
    MilterResult r = send(q -> new Reply.Drop(), "accept");
    assertThat(r.delivered()).isTrue();
    assertThat(results(r)).contains("spf=temperror", "dkim=temperror", "dmarc=temperror");
  }

  @Test
  void silentServer_withOnErrorTempfail_deferredWith451() throws Exception {
    MilterResult r = send(q -> new Reply.Drop(), "tempfail");
    assertThat(r.finalReply()).isInstanceOf(MilterReply.ReplyCode.class);
    assertThat(((MilterReply.ReplyCode) r.finalReply()).text()).startsWith("451 4.7.1");
  }

  @Test
  void servfail_temperror() throws Exception {
    MilterResult r = send(q -> new Reply.Code(Rcode.SERVFAIL), "accept");
    assertThat(r.delivered()).isTrue();
    assertThat(results(r)).contains("spf=temperror", "dkim=temperror", "dmarc=temperror");
  }

  @Test
  void answersAfterTheDeadline_temperrorAtTheDeadline() throws Exception {
    MilterResult r = send(q -> new Reply.Delayed(Duration.ofSeconds(4), zone(q)), "accept");
    assertThat(r.delivered()).isTrue();
    assertThat(results(r)).contains("spf=temperror", "dkim=temperror", "dmarc=temperror");
  }

  @Test
  void truncatedAnswers_takenOverTcp() throws Exception {
    MilterResult r = send(q -> new Reply.TruncatedOverUdp(zone(q)), "accept");
    assertThat(results(r)).contains("spf=pass", "dkim=pass", "dmarc=pass");
  }

  @Test
  void cnameLoops_temperror() throws Exception {
    MilterResult r =
        send(
            q ->
                FakeDnsServer.cname(
                    q,
                    q.nameText().startsWith("loop.")
                        ? q.nameText().substring(5) + "."
                        : "loop." + q.nameText() + "."),
            "accept");
    assertThat(results(r)).contains("spf=temperror", "dkim=temperror", "dmarc=temperror");
  }

  @Test
  void enormousTxtAnswers_permerrorOrNone() throws Exception {
    String[] junk = new String[100];
    for (int i = 0; i < junk.length; i++) {
      junk[i] = "junk-" + i + "-" + "z".repeat(590);
    }
    MilterResult r =
        send(
            q ->
                q.type() == Type.TXT
                    ? FakeDnsServer.txt(q, 300, junk)
                    : new Reply.Code(Rcode.NXDOMAIN),
            "accept");
    String ar = results(r);
    // No SPF record among them: none (RFC 7208 §4.5); a key record that is no key: permerror
    // (RFC 6376 §6.1.2); no DMARC record: none (RFC 9989 §4.10).
    assertThat(ar).contains("spf=none", "dkim=permerror", "dmarc=none");
    assertThat(ar.length()).as("no 60 KB copied into the header").isLessThan(2000);
  }
}
