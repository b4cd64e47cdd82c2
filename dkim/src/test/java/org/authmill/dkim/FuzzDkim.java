package org.authmill.dkim;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.RecordType;

/** What the DKIM fuzz targets share: one Ed25519 key, a fixed clock, a one-record resolver. */
final class FuzzDkim {
  /** A fixed test key (a random Ed25519 seed, made for these tests), so that seeds stay signed. */
  static final DkimPrivateKey KEY =
      DkimPrivateKey.parse("10XiL55wVswCh0rSd/1FrDHzmhbPdR4QtAcmjR+M53I=");

  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L), ZoneOffset.UTC);
  static final String DOMAIN = "example.com";
  static final String SELECTOR = "fuzz";

  private FuzzDkim() {}

  /** Answers every TXT question at {@code *._domainkey.example.com} with the key's record. */
  static final DnsResolver KEYS =
      new DnsResolver() {
        @Override
        @SuppressWarnings("unchecked")
        public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
          if (type == RecordType.TXT && name.toLowerCase().endsWith("._domainkey.example.com")) {
            return CompletableFuture.completedFuture(
                (DnsAnswer<T>)
                    new DnsAnswer.Records<>(
                        List.of(KEY.keyRecord()), java.time.Duration.ofHours(1)));
          }
          return CompletableFuture.completedFuture(
              new DnsAnswer.NxDomain<>(java.time.Duration.ZERO));
        }
      };

  /** A signer for example.com with the given canonicalizations and signed fields. */
  static DkimSigner signer(Canonicalization header, Canonicalization body, List<String> fields) {
    return DkimSigner.builder()
        .domain(DOMAIN)
        .selector(SELECTOR)
        .key(KEY)
        .canonicalization(header, body)
        .headers(fields)
        .oversign(List.of("From"))
        .clock(CLOCK)
        .build();
  }

  static DkimVerifier verifier() {
    return DkimVerifier.builder(KEYS).clock(CLOCK).build();
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The value of one tag of a tag list, whitespace removed, or null (a test-side reader). */
  static String tag(String tagList, String name) {
    for (String spec : tagList.split(";")) {
      int eq = spec.indexOf('=');
      if (eq > 0 && spec.substring(0, eq).strip().equals(name)) {
        return spec.substring(eq + 1).replaceAll("[ \t\r\n]", "");
      }
    }
    return null;
  }
}
