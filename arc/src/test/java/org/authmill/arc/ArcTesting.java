package org.authmill.arc;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dns.DnsResolver;

/** Keys, a zone and messages shared by the ARC unit tests. */
final class ArcTesting {
  static final DkimPrivateKey RSA = DkimPrivateKey.generateRsa(2048);
  static final DkimPrivateKey ED25519 = DkimPrivateKey.generateEd25519();
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_760_000_000L), ZoneOffset.UTC);

  /** rsa._domainkey and ed._domainkey under each of the three sealer domains. */
  static final Map<String, List<String>> ZONE = zone();

  static final DnsResolver RESOLVER = ArcSuite.resolver(ZONE);
  static final ArcVerifier VERIFIER = ArcVerifier.builder(RESOLVER).build();

  static final String MESSAGE =
      "Authentication-Results: list.example; spf=pass smtp.mailfrom=author.example;\r\n"
          + "\tdkim=pass header.d=author.example; dmarc=pass header.from=author.example\r\n"
          + "From: Author <a@author.example>\r\n"
          + "To: list@list.example\r\n"
          + "Subject: ARC test\r\n"
          + "Date: Thu, 03 Dec 2026 09:00:00 +0000\r\n"
          + "Message-ID: <arc-test@author.example>\r\n"
          + "MIME-Version: 1.0\r\n"
          + "\r\n"
          + "Hello,\r\n"
          + "this is a test.\r\n";

  private ArcTesting() {}

  private static Map<String, List<String>> zone() {
    Map<String, List<String>> zone = new HashMap<>();
    for (String domain : List.of("list.example", "forward.example", "final.example")) {
      zone.put("rsa._domainkey." + domain, List.of(RSA.keyRecord()));
      zone.put("ed._domainkey." + domain, List.of(ED25519.keyRecord()));
    }
    return zone;
  }

  static ArcSealer sealer(String domain, boolean ed25519) {
    return ArcSealer.builder()
        .domain(domain)
        .selector(ed25519 ? "ed" : "rsa")
        .key(ed25519 ? ED25519 : RSA)
        .authservId(domain)
        .clock(CLOCK)
        .verifier(VERIFIER)
        .build();
  }

  static ArcSealOutcome seal(ArcSealer sealer, byte[] message) throws Exception {
    return sealer
        .seal(new ByteArrayInputStream(message))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  /** The message with the set's fields on top, or unchanged when nothing was sealed. */
  static byte[] apply(ArcSealOutcome outcome, byte[] message) {
    if (outcome.set().isEmpty()) {
      return message;
    }
    String top = String.join("\r\n", outcome.set().get().fields()) + "\r\n";
    return concat(top.getBytes(StandardCharsets.UTF_8), message);
  }

  static ArcOutcome verify(byte[] message) throws Exception {
    return VERIFIER
        .verify(new ByteArrayInputStream(message))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** Adds an Authentication-Results field of this authserv-id on top (what a hop's check adds). */
  static byte[] withResults(String authservId, String results, byte[] message) throws IOException {
    return concat(
        bytes("Authentication-Results: " + authservId + "; " + results + "\r\n"), message);
  }
}
