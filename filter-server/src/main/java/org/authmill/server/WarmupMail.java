package org.authmill.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSignatureField;
import org.authmill.dkim.DkimSigner;
import org.authmill.dns.ZoneResolver;
import org.authmill.milter.client.MilterMessage;
import org.authmill.milter.client.MilterResult;
import org.authmill.milter.client.MilterTransaction;
import org.authmill.server.signing.KeySource;
import org.authmill.server.signing.SigningKey;
import org.authmill.server.signing.SigningKeys;

/**
 * The synthetic mail of the start-up {@link Warmup}: a sending domain under the reserved top-level
 * domain {@code .invalid} (RFC 2606 §2), so that nothing it names exists anywhere, with an RSA and
 * an Ed25519 key made for this start, its SPF (RFC 7208), DKIM key (RFC 6376 §3.6.1) and DMARC (RFC
 * 9989, {@code p=reject}) records as zone text, and one cycle of the deliveries that take the
 * common paths through the pipeline: inbound mail signed with both keys that passes everything,
 * inbound mail whose signature broke from a client SPF fails (DMARC fail: the configured action),
 * unsigned inbound mail that passes DMARC by SPF, and outbound mail that both keys sign.
 */
final class WarmupMail {
  /** The sending domain. */
  static final String DOMAIN = "warmup.authmill.invalid";

  /** A client the domain's SPF record allows (RFC 5737 documentation range). */
  static final String ALLOWED_CLIENT = "192.0.2.25";

  /** A client the domain's SPF record fails. */
  static final String OTHER_CLIENT = "198.51.100.25";

  /** The SASL login of the outbound deliveries. */
  static final String LOGIN = "warmup";

  /** RSA-1024: its key record fits one 255-octet TXT string; the code path is RSA-2048's. */
  private static final int RSA_BITS = 1024;

  /**
   * One delivery of the cycle.
   *
   * @param kind what it exercises, for log lines
   * @param client the SMTP client's address
   * @param transaction the envelope and message
   * @param expected what the header must look like after the filter's modifications, with the
   *     message delivered; null when the outcome is the configuration's (a DMARC fail)
   */
  record Delivery(
      String kind,
      InetAddress client,
      MilterTransaction transaction,
      Predicate<List<MilterMessage.Field>> expected) {

    /** True when the filter answered as this delivery expects. */
    boolean cameBackAsExpected(MilterResult result) {
      return expected == null
          || result.delivered() && expected.test(result.apply(transaction.message().headers()));
    }
  }

  private final DkimPrivateKey rsa;
  private final DkimPrivateKey ed25519;

  private WarmupMail(DkimPrivateKey rsa, DkimPrivateKey ed25519) {
    this.rsa = rsa;
    this.ed25519 = ed25519;
  }

  /** New keys (tens of milliseconds of CPU: call off the event loops). */
  static WarmupMail generate() {
    return new WarmupMail(DkimPrivateKey.generateRsa(RSA_BITS), DkimPrivateKey.generateEd25519());
  }

  /** The domain's records: SPF, DMARC and both DKIM keys. */
  ZoneResolver zone() {
    return ZoneResolver.fromText(
        "$ORIGIN "
            + DOMAIN
            + ".\n"
            + "@ 3600 IN SOA ns hostmaster 1 3600 600 86400 300\n"
            + "@ 3600 IN TXT \"v=spf1 ip4:192.0.2.0/24 -all\"\n"
            + "_dmarc 3600 IN TXT \"v=DMARC1; p=reject\"\n"
            + "rsa._domainkey 3600 IN TXT \""
            + rsa.keyRecord()
            + "\"\n"
            + "ed._domainkey 3600 IN TXT \""
            + ed25519.keyRecord()
            + "\"\n");
  }

  /** Both keys sign outbound mail of {@link #DOMAIN}. */
  SigningKeys signingKeys() {
    return SigningKeys.load(
        List.of(
            new SigningKey(DOMAIN, "rsa", new KeySource.Inline(rsa.toPkcs8Pem()), Optional.empty()),
            new SigningKey(
                DOMAIN, "ed", new KeySource.Inline(ed25519.toPkcs8Pem()), Optional.empty())),
        null,
        null,
        false);
  }

  /** One cycle of deliveries, in the order they go. */
  List<Delivery> cycle() {
    byte[] passing = signed(message(1), List.of(signer(rsa, "rsa"), signer(ed25519, "ed")));
    byte[] broken = signed(message(2), List.of(signer(rsa, "rsa")));
    byte[] tampered = broken.clone();
    tampered[broken.length - 3] = '!'; // the body's last line changes: the body hash fails
    return List.of(
        new Delivery(
            "inbound, signed, passing",
            address(ALLOWED_CLIENT),
            transaction("WARM1", passing, Map.of()),
            fields ->
                results(fields).contains("dkim=pass")
                    && results(fields).contains("spf=pass")
                    && results(fields).contains("dmarc=pass")),
        new Delivery(
            "inbound, signature broken, SPF fail",
            address(OTHER_CLIENT),
            transaction("WARM2", tampered, Map.of()),
            null),
        new Delivery(
            "inbound, unsigned",
            address(ALLOWED_CLIENT),
            transaction("WARM3", message(3), Map.of()),
            fields -> results(fields).contains("dkim=none")),
        new Delivery(
            "outbound, signed by both keys",
            address(OTHER_CLIENT),
            transaction("WARM4", message(4), Map.of("{auth_authen}", LOGIN)),
            fields ->
                fields.stream()
                        .filter(f -> f.name().equalsIgnoreCase(DkimSignatureField.NAME))
                        .filter(f -> f.value().contains("d=" + DOMAIN))
                        .count()
                    == 2));
  }

  private static String results(List<MilterMessage.Field> fields) {
    StringBuilder all = new StringBuilder();
    for (MilterMessage.Field f : fields) {
      if (f.name().equalsIgnoreCase("Authentication-Results")) {
        all.append(f.value()).append('\n');
      }
    }
    return all.toString();
  }

  private static MilterTransaction transaction(
      String queueId, byte[] message, Map<String, String> macros) {
    return MilterTransaction.of("sender@" + DOMAIN, List.of("rcpt@" + DOMAIN), message, queueId)
        .withMailMacros(macros);
  }

  private static DkimSigner signer(DkimPrivateKey key, String selector) {
    return DkimSigner.builder().domain(DOMAIN).selector(selector).key(key).build();
  }

  private static byte[] signed(byte[] message, List<DkimSigner> signers) {
    List<DkimSignatureField> fields;
    try {
      fields = DkimSignStream.sign(signers, new ByteArrayInputStream(message));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    StringBuilder head = new StringBuilder();
    for (DkimSignatureField f : fields) {
      head.append(f.field()).append("\r\n");
    }
    byte[] h = head.toString().getBytes(StandardCharsets.US_ASCII);
    byte[] out = new byte[h.length + message.length];
    System.arraycopy(h, 0, out, 0, h.length);
    System.arraycopy(message, 0, out, h.length, message.length);
    return out;
  }

  /** A plain-text message of about 4 KiB, as most mail is. */
  private static byte[] message(int n) {
    StringBuilder m = new StringBuilder();
    m.append("Received: from mail.")
        .append(DOMAIN)
        .append(" (mail.")
        .append(DOMAIN)
        .append(" [192.0.2.25])\r\n\tby mx.")
        .append(DOMAIN)
        .append(" with ESMTPS id WARM")
        .append(n)
        .append(";\r\n\tThu, 3 Dec 2026 09:29:58 +0000\r\n");
    m.append("Authentication-Results: mx.upstream.invalid; spf=none smtp.mailfrom=")
        .append(DOMAIN)
        .append("\r\n");
    m.append("From: Warm Up <sender@").append(DOMAIN).append(">\r\n");
    m.append("To: Recipient <rcpt@").append(DOMAIN).append(">\r\n");
    m.append("Subject: warm-up message ").append(n).append("\r\n");
    m.append("Date: Thu, 3 Dec 2026 09:29:57 +0000\r\n");
    m.append("Message-ID: <").append(n).append(".warmup@").append(DOMAIN).append(">\r\n");
    m.append("MIME-Version: 1.0\r\n");
    m.append("Content-Type: text/plain; charset=utf-8\r\n");
    m.append("Content-Transfer-Encoding: 7bit\r\n");
    m.append("\r\n");
    for (int line = 0; line < 56; line++) {
      m.append("Line ")
          .append(line)
          .append(" of a synthetic message that warms the filter up before real mail comes.\r\n");
    }
    return m.toString().getBytes(StandardCharsets.US_ASCII);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(literal, e); // a literal never needs a lookup
    }
  }
}
