package org.authmill.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.authmill.auth.Authenticator;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimVerifier;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.ZoneResolver;
import org.authmill.milter.ClientInfo;
import org.authmill.milter.Decision;
import org.authmill.milter.HeaderChange;
import org.authmill.milter.Macros;
import org.authmill.milter.MailFilter;
import org.authmill.milter.MilterSettings;
import org.authmill.milter.Verdict;
import org.authmill.server.FilterConfig;
import org.authmill.server.signing.SigningKey;
import org.authmill.server.signing.SigningKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthFilterTest {
  @TempDir static Path dir;
  private static ZoneResolver zone;
  private static SigningKeys keys;

  @BeforeAll
  static void prepare() throws Exception {
    DkimPrivateKey rsa = DkimPrivateKey.generateRsa(1024 + 1024);
    DkimPrivateKey ed = DkimPrivateKey.generateEd25519();
    Path rsaFile = write("rsa.pem", rsa);
    Path edFile = write("ed.pem", ed);
    zone =
        ZoneResolver.fromText(
            String.join(
                "\n",
                "reject.test. IN TXT \"v=spf1 ip4:192.0.2.1 -all\"",
                "_dmarc.reject.test. IN TXT \"v=DMARC1; p=reject\"",
                "quarantine.test. IN TXT \"v=spf1 ip4:192.0.2.1 -all\"",
                "_dmarc.quarantine.test. IN TXT \"v=DMARC1; p=quarantine\"",
                "ok.test. IN TXT \"v=spf1 ip4:203.0.113.0/24 -all\"",
                "_dmarc.ok.test. IN TXT \"v=DMARC1; p=reject\"",
                "rsa._domainkey.corp.test. IN TXT \"" + split(rsa.keyRecord()) + "\"",
                "ed._domainkey.corp.test. IN TXT \"" + ed.keyRecord() + "\"",
                ""));
    keys =
        SigningKeys.load(
            List.of(
                SigningKey.parse("corp.test:rsa:" + rsaFile),
                SigningKey.parse("corp.test:ed:" + edFile)),
            null,
            null,
            false);
  }

  private static Path write(String name, DkimPrivateKey key) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, key.toPkcs8Pem());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  private static String split(String record) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < record.length(); i += 200) {
      out.append(record, i, Math.min(record.length(), i + 200));
      if (i + 200 < record.length()) {
        out.append("\" \"");
      }
    }
    return out.toString();
  }

  private static MailFilter filter(FilterConfig.Actions actions, boolean receivedSpf) {
    return filter(actions, receivedSpf, zone);
  }

  private static MailFilter filter(
      FilterConfig.Actions actions, boolean receivedSpf, DnsResolver dns) {
    return factory(actions, receivedSpf, dns).create();
  }

  private static org.authmill.milter.MailFilterFactory factory(
      FilterConfig.Actions actions, boolean receivedSpf, DnsResolver dns) {
    Authenticator authenticator = Authenticator.builder(dns).authservId("mx.test").build();
    return AuthFilter.factory(
        new AuthFilter.Settings(
            authenticator,
            new OutboundSigners(keys, false, java.time.Clock.systemUTC()),
            new Direction(List.of(), List.of("ORIGINATING")),
            actions,
            receivedSpf,
            Runnable::run,
            new SimpleMeterRegistry(),
            java.util.Optional.empty(),
            false,
            java.util.Optional.empty()));
  }

  @Test
  void decisions_onlySpfRejectDecidesBeforeTheEnd() {
    // the MTA need not wait for CONNECT, HELO and MAIL unless an SPF fail is rejected at MAIL
    assertThat(factory(defaults(), false, zone).decisions()).isEmpty();
    assertThat(
            factory(
                    new FilterConfig.Actions(null, null, FilterConfig.SpfFailAction.REJECT, null),
                    false,
                    zone)
                .decisions())
        .containsExactly(org.authmill.milter.MailEvent.MAIL);
  }

  private static FilterConfig.Actions defaults() {
    return new FilterConfig.Actions(null, null, null, null);
  }

  /** Drives one message through the filter as the milter server would, and returns the result. */
  private static Decision send(
      MailFilter filter, String ip, String from, Map<String, String> macros) throws Exception {
    Macros m = new Macros(macros);
    filter
        .connect(new ClientInfo("client", Optional.of(InetAddress.getByName(ip)), 25000), m)
        .toCompletableFuture()
        .join();
    filter.helo("client.example", m).toCompletableFuture().join();
    Verdict mail = filter.mailFrom("sender@" + from, List.of(), m).toCompletableFuture().join();
    if (mail.action() != Verdict.Action.CONTINUE) {
      return Decision.of(mail);
    }
    filter.header("From", " Sender <sender@" + from + ">");
    filter.header("To", " bob@example.org");
    filter.header("Subject", " test\n\tfolded");
    filter.header("Date", " Sat, 28 Nov 2026 10:00:00 +0000");
    filter.endOfHeaders(m);
    filter.body(ByteBuffer.wrap("Hello.\r\n".getBytes(StandardCharsets.US_ASCII)));
    return filter.endOfMessage(m).toCompletableFuture().join();
  }

  private static Optional<String> inserted(Decision d, String name) {
    return d.changes().stream()
        .filter(c -> c instanceof HeaderChange.Insert i && i.name().equals(name))
        .map(c -> ((HeaderChange.Insert) c).value())
        .findFirst();
  }

  @Test
  void endOfMessage_dmarcFailUnderReject_rejectedWith550NamingTheDomain() throws Exception {
    Decision d = send(filter(defaults(), false), "203.0.113.9", "reject.test", Map.of());
    assertThat(d.verdict().action()).isEqualTo(Verdict.Action.REJECT);
    assertThat(d.verdict().reply().orElseThrow().toString())
        .startsWith("550 5.7.1")
        .contains("reject.test");
  }

  @Test
  void endOfMessage_rejectActionQuarantine_heldWithHeader() throws Exception {
    FilterConfig.Actions actions =
        new FilterConfig.Actions(FilterConfig.DmarcRejectAction.QUARANTINE, null, null, null);
    Decision d = send(filter(actions, false), "203.0.113.9", "reject.test", Map.of());
    assertThat(d.delivers()).isTrue();
    assertThat(d.quarantine()).hasValueSatisfying(r -> assertThat(r).contains("reject.test"));
    assertThat(inserted(d, "Authentication-Results"))
        .hasValueSatisfying(v -> assertThat(v).contains("dmarc=fail"));
  }

  @Test
  void endOfMessage_rejectActionHeaderOnly_deliveredWithFailInHeader() throws Exception {
    FilterConfig.Actions actions =
        new FilterConfig.Actions(FilterConfig.DmarcRejectAction.HEADER_ONLY, null, null, null);
    Decision d = send(filter(actions, false), "203.0.113.9", "reject.test", Map.of());
    assertThat(d.delivers()).isTrue();
    assertThat(d.quarantine()).isEmpty();
    assertThat(inserted(d, "Authentication-Results"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("mx.test;").contains("dmarc=fail"));
  }

  @Test
  void endOfMessage_quarantinePolicy_headerOnlyByDefault_heldWhenConfigured() throws Exception {
    Decision byDefault =
        send(filter(defaults(), false), "203.0.113.9", "quarantine.test", Map.of());
    assertThat(byDefault.delivers()).isTrue();
    assertThat(byDefault.quarantine()).isEmpty();
    FilterConfig.Actions hold =
        new FilterConfig.Actions(null, FilterConfig.DmarcQuarantineAction.QUARANTINE, null, null);
    Decision held = send(filter(hold, false), "203.0.113.9", "quarantine.test", Map.of());
    assertThat(held.quarantine()).isPresent();
  }

  @Test
  void endOfMessage_pass_headerAtTopWithAllThreeResults() throws Exception {
    Decision d = send(filter(defaults(), false), "203.0.113.9", "ok.test", Map.of());
    assertThat(d.verdict().action()).isEqualTo(Verdict.Action.CONTINUE);
    HeaderChange first = d.changes().get(0);
    assertThat(first).isInstanceOf(HeaderChange.Insert.class);
    assertThat(((HeaderChange.Insert) first).index()).isZero();
    assertThat(((HeaderChange.Insert) first).value())
        .contains("spf=pass")
        .contains("dkim=none")
        .contains("dmarc=pass");
    assertThat(d.details()).containsEntry("dmarc", "pass").containsEntry("spf", "pass");
  }

  @Test
  void endOfMessage_receivedSpfEnabled_insertsIt() throws Exception {
    Decision d = send(filter(defaults(), true), "203.0.113.9", "ok.test", Map.of());
    assertThat(inserted(d, "Received-SPF"))
        .hasValueSatisfying(
            v -> assertThat(v).startsWith("pass (").contains("client-ip=203.0.113.9"));
  }

  @Test
  void endOfMessage_dnsOutage_acceptedWithTemperrorOrTempfailedWhenConfigured() throws Exception {
    DnsResolver down =
        new DnsResolver() {
          @Override
          public <T> java.util.concurrent.CompletionStage<org.authmill.dns.DnsAnswer<T>> lookup(
              String name, org.authmill.dns.RecordType<T> type) {
            return java.util.concurrent.CompletableFuture.completedFuture(
                new org.authmill.dns.DnsAnswer.TempFailure<>("SERVFAIL (test)"));
          }
        };
    Decision accepted = send(filter(defaults(), false, down), "203.0.113.9", "ok.test", Map.of());
    assertThat(accepted.delivers()).isTrue();
    assertThat(inserted(accepted, "Authentication-Results"))
        .hasValueSatisfying(
            v -> assertThat(v).contains("spf=temperror").contains("dmarc=temperror"));
    FilterConfig.Actions tempfail =
        new FilterConfig.Actions(null, null, null, MilterSettings.ErrorAction.TEMPFAIL);
    Decision deferred = send(filter(tempfail, false, down), "203.0.113.9", "ok.test", Map.of());
    assertThat(deferred.verdict().action()).isEqualTo(Verdict.Action.TEMPFAIL);
    assertThat(deferred.verdict().reply().orElseThrow().toString()).startsWith("451 4.7.1");
  }

  @Test
  void mailFrom_spfFailWithRejectAction_rejectedAtMailWith5723() throws Exception {
    FilterConfig.Actions actions =
        new FilterConfig.Actions(null, null, FilterConfig.SpfFailAction.REJECT, null);
    Decision d = send(filter(actions, false), "203.0.113.9", "reject.test", Map.of());
    assertThat(d.verdict().action()).isEqualTo(Verdict.Action.REJECT);
    assertThat(d.verdict().reply().orElseThrow().toString()).startsWith("550 5.7.23");
  }

  @Test
  void outbound_saslLogin_signedWithBothKeys_signaturesVerify() throws Exception {
    Decision d =
        send(filter(defaults(), false), "10.1.2.3", "corp.test", Map.of("auth_authen", "alice"));
    List<String> signatures =
        d.changes().stream()
            .filter(c -> c instanceof HeaderChange.Insert i && i.name().equals("DKIM-Signature"))
            .map(c -> ((HeaderChange.Insert) c).value())
            .toList();
    assertThat(signatures).hasSize(2);
    assertThat(inserted(d, "Authentication-Results")).as("outbound is not verified").isEmpty();
    StringBuilder message = new StringBuilder();
    for (String s : signatures) {
      message.append("DKIM-Signature: ").append(s.replace("\n", "\r\n")).append("\r\n");
    }
    message
        .append("From: Sender <sender@corp.test>\r\nTo: bob@example.org\r\n")
        .append("Subject: test\r\n\tfolded\r\nDate: Sat, 28 Nov 2026 10:00:00 +0000\r\n\r\n")
        .append("Hello.\r\n");
    List<DkimOutcome> outcomes =
        DkimVerifier.builder(zone)
            .build()
            .verify(
                new ByteArrayInputStream(message.toString().getBytes(StandardCharsets.ISO_8859_1)))
            .toCompletableFuture()
            .join();
    assertThat(outcomes).extracting(DkimOutcome::passed).containsExactly(true, true);
    assertThat(outcomes)
        .extracting(o -> o.algorithm().orElseThrow())
        .containsExactlyInAnyOrder("rsa-sha256", "ed25519-sha256");
  }

  @Test
  void outbound_originatingDaemonWithoutKeyForDomain_unsignedAndSaysWhy() throws Exception {
    Decision d =
        send(
            filter(defaults(), false),
            "10.1.2.3",
            "other.test",
            Map.of("daemon_name", "ORIGINATING"));
    assertThat(d.changes()).isEmpty();
    assertThat(d.details().get("dkim_sign")).contains("no key for sender@other.test");
  }

  @Test
  void outbound_headerSectionBeyondSignerBounds_deliveredUnsignedWithReason() throws Exception {
    MailFilter filter = filter(defaults(), false);
    Macros m = new Macros(Map.of("auth_authen", "alice"));
    filter
        .connect(new ClientInfo("c", Optional.of(InetAddress.getByName("10.1.2.3")), 1), m)
        .toCompletableFuture()
        .join();
    filter.mailFrom("sender@corp.test", List.of(), m).toCompletableFuture().join();
    filter.header("From", " sender@corp.test");
    for (int i = 0; i < 2100; i++) {
      filter.header("X-Filler", " " + i);
    }
    filter.endOfHeaders(m);
    filter.body(ByteBuffer.wrap("x\r\n".getBytes(StandardCharsets.US_ASCII)));
    Decision d = filter.endOfMessage(m).toCompletableFuture().join();
    assertThat(d.delivers()).isTrue();
    assertThat(d.changes()).isEmpty();
    assertThat(d.details().get("dkim_sign")).startsWith("none: ").doesNotContain("no key");
  }

  @Test
  void firstAddress_displayNameGroupAndComments() {
    assertThat(AuthFilter.firstAddress(" \"Doe, J.\" <j@x.test> (c)")).contains("j@x.test");
    assertThat(AuthFilter.firstAddress(" team: a@y.test, b@z.test;")).contains("a@y.test");
    assertThat(AuthFilter.firstAddress(" undisclosed-recipients:;")).isEmpty();
  }
}
