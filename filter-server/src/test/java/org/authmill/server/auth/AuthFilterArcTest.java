package org.authmill.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.authmill.arc.ArcCv;
import org.authmill.arc.ArcOutcome;
import org.authmill.arc.ArcPolicy;
import org.authmill.arc.ArcSealOutcome;
import org.authmill.arc.ArcSealer;
import org.authmill.arc.ArcVerifier;
import org.authmill.arc.TrustedSealer;
import org.authmill.auth.Authenticator;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dns.ZoneResolver;
import org.authmill.milter.ClientInfo;
import org.authmill.milter.Decision;
import org.authmill.milter.HeaderChange;
import org.authmill.milter.Macros;
import org.authmill.milter.MailFilter;
import org.authmill.milter.Verdict;
import org.authmill.server.FilterConfig;
import org.authmill.server.signing.SigningKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ARC in the filter (RFC 8617): a message from a {@code p=reject} domain that a forwarder sealed
 * arrives from the forwarder's address, so SPF and DMARC fail; with the forwarder among the trusted
 * sealers the DMARC failure is overridden and the Authentication-Results says so, without it the
 * message is rejected; a filter configured to seal adds a set that verifies.
 */
class AuthFilterArcTest {
  private static final String FORWARDER_IP = "203.0.113.9";
  private static ZoneResolver zone;
  private static ArcVerifier verifier;
  private static DkimPrivateKey key;
  private static byte[] forwarded;

  @BeforeAll
  static void prepare() throws Exception {
    key = DkimPrivateKey.generateRsa(2048);
    StringBuilder record = new StringBuilder();
    String text = key.keyRecord();
    for (int i = 0; i < text.length(); i += 200) {
      record.append(i == 0 ? "\"" : " \"").append(text, i, Math.min(text.length(), i + 200));
      record.append('"');
    }
    zone =
        ZoneResolver.fromText(
            String.join(
                "\n",
                "reject.test. IN TXT \"v=spf1 ip4:192.0.2.1 -all\"",
                "_dmarc.reject.test. IN TXT \"v=DMARC1; p=reject\"",
                "arc._domainkey.fwd.test. IN TXT " + record,
                "arc._domainkey.mx.test. IN TXT " + record,
                "dk._domainkey.corp.test. IN TXT " + record,
                ""));
    verifier = ArcVerifier.builder(zone).build();
    // what the forwarder received (DMARC passed there) and sealed before re-sending
    String original =
        "Authentication-Results: fwd.test; spf=pass smtp.mailfrom=reject.test;\r\n"
            + "\tdmarc=pass header.from=reject.test\r\n"
            + "From: Sender <sender@reject.test>\r\n"
            + "To: bob@example.org\r\n"
            + "Subject: forwarded\r\n"
            + "Date: Sat, 28 Nov 2026 10:00:00 +0000\r\n"
            + "\r\n"
            + "Hello.\r\n";
    byte[] message = original.getBytes(StandardCharsets.US_ASCII);
    ArcSealOutcome sealed =
        sealer("fwd.test").seal(new ByteArrayInputStream(message)).toCompletableFuture().join();
    forwarded =
        (String.join("\r\n", sealed.set().orElseThrow().fields()) + "\r\n" + original)
            .getBytes(StandardCharsets.US_ASCII);
  }

  private static ArcSealer sealer(String domain) {
    return ArcSealer.builder()
        .domain(domain)
        .selector("arc")
        .key(key)
        .authservId(domain)
        .verifier(verifier)
        .build();
  }

  private static MailFilter filter(List<String> trusted, boolean seal) {
    Authenticator authenticator = Authenticator.builder(zone).authservId("mx.test").build();
    AuthFilter.ArcSettings arc =
        new AuthFilter.ArcSettings(
            verifier,
            new ArcPolicy(trusted.stream().map(TrustedSealer::parse).toList()),
            seal ? Optional.of(sealer("mx.test")) : Optional.empty());
    return AuthFilter.factory(
            new AuthFilter.Settings(
                authenticator,
                new OutboundSigners(
                    SigningKeys.load(List.of(), null, null, false),
                    false,
                    java.time.Clock.systemUTC()),
                new Direction(List.of(), List.of("ORIGINATING")),
                new FilterConfig.Actions(null, null, null, null),
                false,
                Runnable::run,
                new SimpleMeterRegistry(),
                Optional.empty(),
                false,
                Optional.of(arc)))
        .create();
  }

  /** The raw message's fields as a milter gets them: name, value after the colon, LF folding. */
  private static Decision send(MailFilter filter, byte[] message) throws Exception {
    Macros m = new Macros(Map.of());
    filter
        .connect(new ClientInfo("fwd", Optional.of(InetAddress.getByName(FORWARDER_IP)), 25000), m)
        .toCompletableFuture()
        .join();
    filter.helo("fwd.test", m).toCompletableFuture().join();
    Verdict mail = filter.mailFrom("bounce@fwd.test", List.of(), m).toCompletableFuture().join();
    assertThat(mail.action()).isEqualTo(Verdict.Action.CONTINUE);
    String text = new String(message, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    for (String field : text.substring(0, end).split("\r\n(?![ \t])")) {
      int colon = field.indexOf(':');
      filter.header(field.substring(0, colon), field.substring(colon + 1).replace("\r\n", "\n"));
    }
    filter.endOfHeaders(m);
    filter.body(ByteBuffer.wrap(text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1)));
    return filter.endOfMessage(m).toCompletableFuture().join();
  }

  private static String results(Decision d) {
    return d.changes().stream()
        .filter(
            c -> c instanceof HeaderChange.Insert i && i.name().equals("Authentication-Results"))
        .map(c -> ((HeaderChange.Insert) c).value())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void endOfMessage_trustedSealerRecordedDmarcPass_overridesTheReject() throws Exception {
    Decision d = send(filter(List.of("fwd.test"), false), forwarded);
    assertThat(d.verdict().action()).isEqualTo(Verdict.Action.CONTINUE);
    assertThat(d.details()).containsEntry("arc", "pass").containsEntry("arc_override", "fwd.test");
    String ar = results(d).replace("\n\t", " ");
    assertThat(ar)
        .contains("overridden by ARC: trusted sealer fwd.test i=1 recorded dmarc=pass")
        .contains("policy.override=arc")
        .contains("arc=pass header.oldest-pass=1 smtp.remote-ip=" + FORWARDER_IP)
        .contains("arc.chain=fwd.test");
  }

  @Test
  void endOfMessage_sealerNotTrusted_rejectedWith550() throws Exception {
    Decision d = send(filter(List.of("other.test"), false), forwarded);
    assertThat(d.verdict().action()).isEqualTo(Verdict.Action.REJECT);
    assertThat(d.verdict().reply().orElseThrow().toString()).startsWith("550 5.7.1");
  }

  @Test
  void endOfMessage_chainBroken_rejectedWithArcFail() throws Exception {
    byte[] changed =
        new String(forwarded, StandardCharsets.ISO_8859_1)
            .replace("Hello.", "Hello, changed.")
            .getBytes(StandardCharsets.ISO_8859_1);
    Decision d = send(filter(List.of("fwd.test"), false), changed);
    assertThat(d.verdict().action()).isEqualTo(Verdict.Action.REJECT);
    assertThat(d.details()).containsEntry("dmarc", "fail").doesNotContainKey("arc_override");
  }

  @Test
  void endOfMessage_sealing_addsASetThatVerifiesOnTopOfTheResults() throws Exception {
    Decision d = send(filter(List.of("fwd.test"), true), forwarded);
    assertThat(d.verdict().action()).isEqualTo(Verdict.Action.CONTINUE);
    assertThat(d.details()).containsEntry("arc_seal", "i=2");
    // apply the inserts as the MTA does: each at the top
    List<String> top = new ArrayList<>();
    for (HeaderChange change : d.changes()) {
      HeaderChange.Insert insert = (HeaderChange.Insert) change;
      top.add(0, insert.name() + ": " + insert.value().replace("\n", "\r\n"));
    }
    assertThat(top.get(0)).startsWith("ARC-Seal: ");
    assertThat(top.get(2))
        .startsWith("ARC-Authentication-Results: i=2; mx.test;")
        .contains("policy.override=arc");
    byte[] delivered =
        (String.join("\r\n", top) + "\r\n" + new String(forwarded, StandardCharsets.ISO_8859_1))
            .getBytes(StandardCharsets.ISO_8859_1);
    ArcOutcome outcome =
        verifier.verify(new ByteArrayInputStream(delivered)).toCompletableFuture().join();
    assertThat(outcome.cv()).as(outcome.reason()).isEqualTo(ArcCv.PASS);
    assertThat(outcome.sealerDomains()).containsExactly("fwd.test", "mx.test");
  }

  /** A filter that signs corp.test's outbound mail and seals that of {@code sealed} domains. */
  private static MailFilter outboundFilter(java.nio.file.Path keyFile, List<String> sealed) {
    Authenticator authenticator = Authenticator.builder(zone).authservId("mx.test").build();
    AuthFilter.ArcSettings arc =
        new AuthFilter.ArcSettings(
            verifier,
            new ArcPolicy(List.of()),
            Optional.of(sealer("mx.test")),
            false,
            sealed::contains);
    return AuthFilter.factory(
            new AuthFilter.Settings(
                authenticator,
                new OutboundSigners(
                    SigningKeys.load(
                        List.of(
                            org.authmill.server.signing.SigningKey.parse(
                                "corp.test:dk:" + keyFile)),
                        null,
                        null,
                        false),
                    false,
                    java.time.Clock.systemUTC()),
                new Direction(List.of(), List.of("ORIGINATING")),
                new FilterConfig.Actions(null, null, null, null),
                false,
                Runnable::run,
                new SimpleMeterRegistry(),
                Optional.empty(),
                false,
                Optional.of(arc)))
        .create();
  }

  private static final String OUTBOUND =
      "From: Alice <alice@corp.test>\r\n"
          + "To: bob@example.org\r\n"
          + "Subject: quarterly figures\r\n"
          + "Date: Thu, 03 Dec 2026 10:00:00 +0000\r\n"
          + "Message-ID: <q4@corp.test>\r\n"
          + "\r\n"
          + "The figures are attached.\r\n";

  /** An outbound message as a submission port hands it over (SASL login alice), then applied. */
  private static String submit(MailFilter filter, String message) throws Exception {
    Macros m = new Macros(Map.of("auth_authen", "alice"));
    filter
        .connect(new ClientInfo("mua", Optional.of(InetAddress.getByName("198.51.100.7")), 5000), m)
        .toCompletableFuture()
        .join();
    filter.helo("laptop", m).toCompletableFuture().join();
    filter.mailFrom("alice@corp.test", List.of(), m).toCompletableFuture().join();
    int end = message.indexOf("\r\n\r\n");
    for (String field : message.substring(0, end).split("\r\n(?![ \t])")) {
      int colon = field.indexOf(':');
      filter.header(field.substring(0, colon), field.substring(colon + 1).replace("\r\n", "\n"));
    }
    filter.endOfHeaders(m);
    filter.body(ByteBuffer.wrap(message.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1)));
    Decision d = filter.endOfMessage(m).toCompletableFuture().join();
    assertThat(d.verdict().action()).isEqualTo(Verdict.Action.CONTINUE);
    List<String> top = new ArrayList<>();
    for (HeaderChange change : d.changes()) {
      HeaderChange.Insert insert = (HeaderChange.Insert) change;
      top.add(0, insert.name() + ": " + insert.value().replace("\r\n", "\n").replace("\n", "\r\n"));
    }
    return top.isEmpty() ? message : String.join("\r\n", top) + "\r\n" + message;
  }

  @Test
  void endOfMessage_outboundSealed_setOnTopOfTheDkimSignatureVerifies(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path keyFile = dir.resolve("dk.pem");
    java.nio.file.Files.writeString(keyFile, key.toPkcs8Pem());
    java.nio.file.Files.setPosixFilePermissions(
        keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String sent = submit(outboundFilter(keyFile, List.of("corp.test")), OUTBOUND);
    String[] fields = sent.substring(0, sent.indexOf("\r\n\r\n")).split("\r\n(?![ \t])");
    assertThat(fields[0]).startsWith("ARC-Seal: ").contains("cv=none").contains("i=1");
    assertThat(fields[1]).startsWith("ARC-Message-Signature: ").contains("dkim-signature");
    assertThat(fields[2].replace("\r\n\t", " "))
        .startsWith("ARC-Authentication-Results: i=1; mx.test;")
        .contains("arc=none (outbound: SASL login alice)")
        .contains("auth=pass smtp.auth=alice");
    assertThat(fields[3]).startsWith("DKIM-Signature: ").contains("d=corp.test");
    byte[] bytes = sent.getBytes(StandardCharsets.ISO_8859_1);
    ArcOutcome outcome =
        verifier.verify(new ByteArrayInputStream(bytes)).toCompletableFuture().join();
    assertThat(outcome.cv()).as(outcome.reason()).isEqualTo(ArcCv.PASS);
    assertThat(outcome.sealerDomains()).containsExactly("mx.test");
    List<org.authmill.dkim.DkimOutcome> dkim =
        org.authmill.dkim.DkimVerifier.builder(zone)
            .build()
            .verify(new ByteArrayInputStream(bytes))
            .toCompletableFuture()
            .join();
    assertThat(dkim).hasSize(1);
    assertThat(dkim.get(0).passed()).as(dkim.get(0).toString()).isTrue();
    // the DKIM-Signature is sealed: without it the ARC-Message-Signature fails
    String stripped = sent.replaceFirst("DKIM-Signature: [^\r]*(\r\n[ \t][^\r]*)*\r\n", "");
    assertThat(stripped).doesNotContain("DKIM-Signature");
    assertThat(
            verifier
                .verify(new ByteArrayInputStream(stripped.getBytes(StandardCharsets.ISO_8859_1)))
                .toCompletableFuture()
                .join()
                .cv())
        .isEqualTo(ArcCv.FAIL);
  }

  @Test
  void endOfMessage_outboundDomainNotConfigured_signedNotSealed(
      @org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    java.nio.file.Path keyFile = dir.resolve("dk.pem");
    java.nio.file.Files.writeString(keyFile, key.toPkcs8Pem());
    java.nio.file.Files.setPosixFilePermissions(
        keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
    String sent = submit(outboundFilter(keyFile, List.of("other.test")), OUTBOUND);
    assertThat(sent).startsWith("DKIM-Signature: ").doesNotContain("ARC-");
  }
}
