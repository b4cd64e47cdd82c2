package org.authmill.server;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.milter.MilterReply;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.testkit.LogCapture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a hostile sender controls (its DNS records, its envelope, its headers) never reaches a
 * header field or an SMTP reply of ours unsanitized, nor the log raw; and no key material or
 * message body ever reaches the log.
 */
class FilterServerSecurityTest {
  @TempDir Path dir;

  /**
   * Records of evil.example, each carrying CR LF and other control octets where a naive filter
   * would copy text into a header: the SPF explanation (exp=, RFC 7208 §6.2), the SPF record's own
   * terms, the DKIM key record's notes (n=) and tags, the DMARC record's tags.
   */
  private static final String ZONE =
      "$TTL 300\n"
          + "evil.example. IN TXT \"v=spf1 ip4:198.51.100.0/24 exp=explain.evil.example -all\"\n"
          + "explain.evil.example. IN TXT \"Go away\\013\\010X-Injected: exp\\001\\033[31m %{s}\"\n"
          + "_dmarc.evil.example. IN TXT \"v=DMARC1; p=reject; x\\013\\010X-Injected: dmarc; "
          + "ruf=mailto:a@evil.example\\013\\010X-Injected: ruf; fo=\\033\"\n"
          + "sel._domainkey.evil.example. IN TXT \"v=DKIM1; k=ed25519; n=note\\013\\010X-Injected:"
          + " note; p=AAAA\\013\\010X-Injected: p\"\n"
          + "badspf.example. IN TXT \"v=spf1 ip4:192.0.2.1 bogus\\013\\010X-Injected:term\\001 -all\"\n"
          + "_dmarc.badspf.example. IN TXT \"v=DMARC1; p=none\"\n";

  private FilterHarness start(String actions) throws Exception {
    Path zone = Files.writeString(dir.resolve("evil.zone"), ZONE);
    return FilterHarness.start(
        "authserv-id: mx.test.local\nreceived-spf: true\n"
            + "dns:\n  zone-file: "
            + zone
            + "\nactions:\n"
            + actions);
  }

  private static byte[] message(String from, String extraHeaders) {
    return ("DKIM-Signature: v=1; a=ed25519-sha256; d=evil.example; s=sel; h=from; "
            + "bh=AAAA; b=AAAA\r\n"
            + extraHeaders
            + "From: "
            + from
            + "\r\nSubject: injection\r\n\r\nbody\r\n")
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  private static MilterTransaction tx(String sender, byte[] message) {
    return MilterTransaction.of(sender, List.of("b@example.org"), message, "Q1");
  }

  @Test
  void dnsText_withLineBreaksAndControlOctets_neverReachesAHeaderRaw() throws Exception {
    try (FilterHarness filter = start("  dmarc-reject: header-only\n  spf-fail: header-only\n");
        LogCapture log = LogCapture.of("org.authmill.server.message", Level.INFO)) {
      List<MilterResult> results = new ArrayList<>();
      results.add(
          filter.send(
              "192.0.2.1",
              "helo.evil.example",
              tx("x@evil.example", message("x@evil.example", ""))));
      results.add(
          filter.send(
              "192.0.2.9",
              "helo.example",
              tx("x@badspf.example", message("x@badspf.example", ""))));
      // The client's own text: an envelope and a HELO with control octets, an 8-bit From.
      results.add(
          filter.send(
              "192.0.2.1",
              "helo\u0001\u001b[1m.example",
              tx("a\u0001\u007fb@evil.example", message("\"\u00e9vil\" <x@evil.example>", ""))));
      for (MilterResult r : results) {
        FilterHarness.assertSafe(r);
        assertThat(r.delivered()).isTrue();
        String ar = FilterHarness.added(r, "Authentication-Results");
        assertThat(ar).isNotNull();
        assertThat(FilterHarness.added(r, "Received-SPF")).isNotNull();
      }
      String first = FilterHarness.added(results.get(0), "Authentication-Results");
      assertThat(first).contains("spf=fail", "dkim=permerror", "dmarc=fail");
      String second = FilterHarness.added(results.get(1), "Authentication-Results");
      assertThat(second).contains("spf=permerror");
      assertThat(log.lines()).isNotEmpty();
      for (String line : log.lines()) {
        assertThat(line).as("log line").doesNotContainPattern("[\\x00-\\x1F\\x7F]");
      }
    }
  }

  @Test
  void replies_whenRejecting_carryNoControlOctets() throws Exception {
    try (FilterHarness filter = start("  dmarc-reject: reject\n  spf-fail: reject\n")) {
      MilterResult spf =
          filter.send(
              "192.0.2.1",
              "helo.example",
              tx("a\u0001\u001bb@evil.example", message("x@evil.example", "")));
      FilterHarness.assertSafe(spf);
      assertThat(spf.finalReply()).isInstanceOf(MilterReply.ReplyCode.class);
      assertThat(((MilterReply.ReplyCode) spf.finalReply()).text()).startsWith("550 5.7.23");
    }
    try (FilterHarness filter = start("  dmarc-reject: reject\n")) {
      MilterResult dmarc =
          filter.send(
              "192.0.2.1", "helo.example", tx("x@evil.example", message("x@EVIL.example", "")));
      FilterHarness.assertSafe(dmarc);
      assertThat(((MilterReply.ReplyCode) dmarc.finalReply()).text())
          .startsWith("550 5.7.1")
          .contains("evil.example");
    }
  }

  @Test
  void logs_ofASigningAndAVerifyingSession_holdNoKeyMaterialNorBody() throws Exception {
    DkimPrivateKey key = DkimPrivateKey.generateRsa(2048);
    String pem = key.toPkcs8Pem();
    Path keyFile = dir.resolve("sel.private");
    Files.writeString(keyFile, pem);
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    String publicKey = key.keyRecord().substring(key.keyRecord().indexOf("p=") + 2);
    Path zone =
        Files.writeString(
            dir.resolve("keys.zone"),
            "example.com. IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
                + "sel._domainkey.example.com. IN TXT ( "
                + quoted(key.keyRecord())
                + " )\n"
                + "_dmarc.example.com. IN TXT \"v=DMARC1; p=reject\"\n");
    String marker = "BODY-MARKER-" + UUID.randomUUID();
    byte[] message =
        ("From: a@example.com\r\nTo: b@example.org\r\nSubject: logs\r\n\r\n"
                + marker
                + "\r\nsecond line "
                + marker
                + "\r\n")
            .getBytes(StandardCharsets.ISO_8859_1);
    MilterResult signed;
    MilterResult verified;
    try (LogCapture log = LogCapture.of(org.slf4j.Logger.ROOT_LOGGER_NAME, Level.TRACE);
        LogCapture ours = LogCapture.of("org.authmill", Level.TRACE);
        FilterHarness filter =
            FilterHarness.start(
                "authserv-id: mx.test.local\ntrusted-networks: [10.0.0.0/8]\n"
                    + "signing:\n  keys: [\"example.com:sel:"
                    + keyFile
                    + "\"]\ndns:\n  zone-file: "
                    + zone
                    + "\n")) {
      // Outbound (a trusted network): signed.
      signed = filter.send("10.1.2.3", "client.example", tx("a@example.com", message));
      String signature = FilterHarness.added(signed, "DKIM-Signature");
      assertThat(signature).as(FilterHarness.show(signed).toString()).isNotNull();
      // The same message, signed, inbound: verified.
      byte[] inbound =
          ("DKIM-Signature:"
                  + signature.replace("\n", "\r\n")
                  + "\r\n"
                  + new String(message, StandardCharsets.ISO_8859_1))
              .getBytes(StandardCharsets.ISO_8859_1);
      verified = filter.send("192.0.2.1", "mail.example.com", tx("a@example.com", inbound));
      assertThat(FilterHarness.added(verified, "Authentication-Results")).contains("dkim=pass");
      filter.awaitNoSessions();
      String text = log.text() + "\n" + ours.text();
      assertThat(text).as("something was logged").contains("queue_id=Q1");
      assertThat(text).doesNotContain(marker);
      assertThat(text).doesNotContain("PRIVATE KEY");
      String body = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
      for (int i = 0; i + 24 <= body.length(); i += 24) {
        assertThat(text).as("private key material").doesNotContain(body.substring(i, i + 24));
      }
      byte[] der = Base64.getDecoder().decode(body);
      assertThat(der.length).isGreaterThan(1000);
      for (int i = 0; i + 24 <= publicKey.length(); i += 24) {
        assertThat(text).as("public key material").doesNotContain(publicKey.substring(i, i + 24));
      }
    }
  }

  /** A key record as quoted master-file strings of at most 255 characters. */
  private static String quoted(String text) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i += 200) {
      out.append('"').append(text, i, Math.min(text.length(), i + 200)).append("\" ");
    }
    return out.toString();
  }
}
