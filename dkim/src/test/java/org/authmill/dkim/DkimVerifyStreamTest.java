package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DkimVerifyStreamTest {
  private static final DkimPrivateKey RSA = DkimPrivateKey.generateRsa(1024);
  private static final DkimPrivateKey ED = DkimPrivateKey.generateEd25519();
  private static final Instant NOW = Instant.ofEpochSecond(1_700_000_000);
  private static final byte[] MESSAGE =
      TestMessages.crlf(
          "From: A <a@example.com>\nTo: b@example.org\nSubject: test\n\nHello.\n\n\n");

  private static Map<String, List<String>> keys() {
    Map<String, List<String>> keys = new HashMap<>();
    keys.put("rsa._domainkey.example.com", List.of(RSA.keyRecord()));
    keys.put("ed._domainkey.example.com", List.of(ED.keyRecord()));
    return keys;
  }

  private static DkimVerifier verifier(Map<String, List<String>> keys) {
    return DkimVerifier.builder(TestMessages.resolver(keys))
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .build();
  }

  private static DkimSigner.Builder signer(String selector, DkimPrivateKey key) {
    return DkimSigner.builder()
        .domain("example.com")
        .selector(selector)
        .key(key)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC));
  }

  private static DkimOutcome verifyOne(Map<String, List<String>> keys, byte[] message) {
    List<DkimOutcome> outcomes = TestMessages.verify(verifier(keys), message);
    assertThat(outcomes).hasSize(1);
    return outcomes.get(0);
  }

  private static byte[] signed(DkimSigner signer) {
    return TestMessages.sign(signer, MESSAGE);
  }

  private static byte[] edit(byte[] message, String from, String to) {
    String text = new String(message, StandardCharsets.ISO_8859_1);
    assertThat(text).contains(from);
    return text.replaceFirst(java.util.regex.Pattern.quote(from), to)
        .getBytes(StandardCharsets.ISO_8859_1);
  }

  @Test
  void finish_noSignature_isEmpty() {
    assertThat(TestMessages.verify(verifier(keys()), MESSAGE)).isEmpty();
    assertThat(DkimResult.summarize(List.of())).isEqualTo(DkimResult.NONE);
  }

  @Test
  void finish_rsaAndEd25519_pass() {
    byte[] message =
        TestMessages.sign(
            List.of(signer("rsa", RSA).build(), signer("ed", ED).build()), MESSAGE, 3);
    List<DkimOutcome> outcomes = TestMessages.verify(verifier(keys()), message, 1);
    assertThat(outcomes)
        .extracting(DkimOutcome::result)
        .containsExactly(DkimResult.PASS, DkimResult.PASS);
    assertThat(outcomes.get(0).keyBits()).isEqualTo(1024);
    assertThat(outcomes.get(0).reason()).isEqualTo("signature verified");
  }

  @Test
  void finish_noKey_isPermerrorNamingTheRecord() {
    Map<String, List<String>> keys = keys();
    keys.remove("rsa._domainkey.example.com");
    DkimOutcome outcome = verifyOne(keys, signed(signer("rsa", RSA).build()));
    assertThat(outcome.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(outcome.reason())
        .isEqualTo(
            "no key for rsa._domainkey.example.com"
                + " (the name does not exist: publish the selector's TXT record)");
  }

  @Test
  void finish_dnsFailure_isTemperror() {
    Map<String, List<String>> keys = keys();
    keys.put("rsa._domainkey.example.com", null);
    DkimOutcome outcome = verifyOne(keys, signed(signer("rsa", RSA).build()));
    assertThat(outcome.result()).isEqualTo(DkimResult.TEMPERROR);
    assertThat(outcome.reason()).contains("rsa._domainkey.example.com").contains("timed out");
  }

  @Test
  void finish_revokedKey_fails() {
    Map<String, List<String>> keys = keys();
    keys.put("rsa._domainkey.example.com", List.of("v=DKIM1; k=rsa; p="));
    DkimOutcome outcome = verifyOne(keys, signed(signer("rsa", RSA).build()));
    assertThat(outcome.result()).isEqualTo(DkimResult.FAIL);
    assertThat(outcome.reason()).startsWith("key revoked");
  }

  @Test
  void finish_bodyChanged_reportsBodyHash() {
    byte[] message = edit(signed(signer("rsa", RSA).build()), "Hello.", "Hallo.");
    assertThat(verifyOne(keys(), message).reason()).isEqualTo("body hash did not verify");
  }

  @Test
  void finish_headerChanged_reportsSignature() {
    byte[] message = edit(signed(signer("ed", ED).build()), "Subject: test", "Subject: Test");
    DkimOutcome outcome = verifyOne(keys(), message);
    assertThat(outcome.result()).isEqualTo(DkimResult.FAIL);
    assertThat(outcome.reason()).isEqualTo("signature did not verify (headers changed?)");
  }

  @Test
  void finish_rsaSha1_failsPerRfc8301() {
    byte[] message = edit(signed(signer("rsa", RSA).build()), "a=rsa-sha256", "a=rsa-sha1");
    DkimOutcome outcome = verifyOne(keys(), message);
    assertThat(outcome.result()).isEqualTo(DkimResult.FAIL);
    assertThat(outcome.reason()).contains("RFC 8301");
    assertThat(outcome.algorithm()).contains("rsa-sha1");
  }

  @Test
  void finish_unknownAlgorithm_isPermerror() {
    byte[] message = edit(signed(signer("rsa", RSA).build()), "a=rsa-sha256", "a=rsa-md5");
    assertThat(verifyOne(keys(), message).result()).isEqualTo(DkimResult.PERMERROR);
  }

  @Test
  void finish_expired_fails() {
    byte[] message = signed(signer("rsa", RSA).expiry(Duration.ofSeconds(60)).build());
    DkimVerifier later =
        DkimVerifier.builder(TestMessages.resolver(keys()))
            .clock(Clock.fixed(NOW.plusSeconds(61), ZoneOffset.UTC))
            .build();
    DkimOutcome outcome = TestMessages.verify(later, message).get(0);
    assertThat(outcome.result()).isEqualTo(DkimResult.FAIL);
    assertThat(outcome.reason()).startsWith("signature expired");
    assertThat(verifyOne(keys(), message).passed()).isTrue();
  }

  @Test
  void finish_identityOutsideDomain_isPermerror() {
    byte[] message = signed(signer("rsa", RSA).identity("user@mail.example.com").build());
    assertThat(verifyOne(keys(), message).passed()).isTrue();
    DkimOutcome outcome =
        verifyOne(keys(), edit(message, "i=user@mail.example.com", "i=user@example.net"));
    assertThat(outcome.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(outcome.reason()).contains("not within d=example.com");
  }

  @Test
  void finish_strictKeyAndSubdomainIdentity_fails() {
    Map<String, List<String>> keys = keys();
    keys.put("rsa._domainkey.example.com", List.of(RSA.keyRecord() + "; t=s"));
    DkimOutcome outcome =
        verifyOne(keys, signed(signer("rsa", RSA).identity("u@mail.example.com").build()));
    assertThat(outcome.result()).isEqualTo(DkimResult.FAIL);
    assertThat(outcome.reason()).contains("t=s");
  }

  @Test
  void finish_testingKey_isFlagged() {
    Map<String, List<String>> keys = keys();
    keys.put("rsa._domainkey.example.com", List.of(RSA.keyRecord() + "; t=y"));
    DkimOutcome outcome = verifyOne(keys, signed(signer("rsa", RSA).build()));
    assertThat(outcome.passed()).isTrue();
    assertThat(outcome.testing()).isTrue();
    assertThat(outcome.reason()).contains("testing mode");
  }

  @Test
  void finish_fromNotSigned_isPermerror() {
    byte[] message =
        signed(signer("rsa", RSA).headers(List.of("From", "Subject")).oversign(List.of()).build());
    DkimOutcome outcome = verifyOne(keys(), edit(message, "h=From:Subject", "h=Subject"));
    assertThat(outcome.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(outcome.reason()).contains("From is not signed");
  }

  @Test
  void finish_missingTag_isPermerror() {
    byte[] message = edit(signed(signer("rsa", RSA).build()), "d=example.com;", "");
    DkimOutcome outcome = verifyOne(keys(), message);
    assertThat(outcome.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(outcome.reason()).isEqualTo("signature has no d= tag");
  }

  @Test
  void finish_wrongVersion_isPermerror() {
    byte[] message = edit(signed(signer("rsa", RSA).build()), "v=1;", "v=2;");
    assertThat(verifyOne(keys(), message).reason()).contains("incompatible signature version");
  }

  @Test
  void finish_keyTypeMismatch_isPermerror() {
    Map<String, List<String>> keys = keys();
    keys.put("rsa._domainkey.example.com", List.of(ED.keyRecord()));
    DkimOutcome outcome = verifyOne(keys, signed(signer("rsa", RSA).build()));
    assertThat(outcome.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(outcome.reason()).contains("k=ed25519");
  }

  @Test
  void finish_keyHashNotAllowed_isPermerror() {
    Map<String, List<String>> keys = keys();
    keys.put(
        "rsa._domainkey.example.com", List.of("v=DKIM1; h=sha1; " + RSA.keyRecord().substring(8)));
    DkimOutcome outcome = verifyOne(keys, signed(signer("rsa", RSA).build()));
    assertThat(outcome.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(outcome.reason()).contains("does not allow sha256");
  }

  @Test
  void finish_smallRsaKey_fails() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(512);
    String small =
        Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());
    Map<String, List<String>> keys = keys();
    keys.put("rsa._domainkey.example.com", List.of("v=DKIM1; k=rsa; p=" + small));
    DkimOutcome outcome = verifyOne(keys, signed(signer("rsa", RSA).build()));
    assertThat(outcome.result()).isEqualTo(DkimResult.FAIL);
    assertThat(outcome.keyBits()).isEqualTo(512);
    assertThat(outcome.reason()).contains("below the minimum of 1024");
  }

  @Test
  void finish_bodyLength_honoredAndReported() {
    byte[] message = signed(signer("rsa", RSA).bodyLength(true).build());
    byte[] appended = java.util.Arrays.copyOf(message, message.length + 8);
    System.arraycopy("appended".getBytes(), 0, appended, message.length, 8);
    DkimOutcome outcome = verifyOne(keys(), appended);
    assertThat(outcome.passed()).isTrue();
    assertThat(outcome.bodyLengthLimit()).hasValue(8); // "Hello.\r\n"
    assertThat(outcome.reason()).contains("only the first 8 octets");
  }

  @Test
  void finish_bodyLengthBeyondBody_fails() {
    byte[] message = edit(signed(signer("rsa", RSA).bodyLength(true).build()), "l=8;", "l=800;");
    DkimOutcome outcome = verifyOne(keys(), message);
    assertThat(outcome.result()).isEqualTo(DkimResult.FAIL);
    assertThat(outcome.reason()).contains("exceeds the body");
  }

  @Test
  void finish_tooManySignatures_policy() {
    byte[] message =
        TestMessages.sign(
            List.of(signer("rsa", RSA).build(), signer("ed", ED).build()), MESSAGE, 100);
    DkimVerifier one = DkimVerifier.builder(TestMessages.resolver(keys())).maxSignatures(1).build();
    List<DkimOutcome> outcomes = TestMessages.verify(one, message);
    assertThat(outcomes)
        .extracting(DkimOutcome::result)
        .containsExactly(DkimResult.PASS, DkimResult.POLICY);
    assertThat(outcomes.get(1).reason()).contains("more than 1 signatures");
  }

  @Test
  void finish_headerSectionTooLarge_policy() {
    byte[] message = signed(signer("rsa", RSA).build());
    DkimVerifier tiny =
        DkimVerifier.builder(TestMessages.resolver(keys())).maxHeaderBytes(100).build();
    List<DkimOutcome> outcomes = TestMessages.verify(tiny, message);
    assertThat(outcomes).hasSize(1);
    assertThat(outcomes.get(0).result()).isEqualTo(DkimResult.POLICY);
  }

  @Test
  void finish_whitespaceBeforeColon_fieldIsSigned() {
    byte[] obsolete =
        TestMessages.crlf("From: A <a@example.com>\nSubject : spaced  \nTo: b@example.org\n\nHi\n");
    byte[] message = TestMessages.sign(signer("rsa", RSA).build(), obsolete);
    assertThat(verifyOne(keys(), message).passed()).isTrue();
    byte[] changed = edit(message, "Subject : spaced", "Subject : spiced");
    assertThat(verifyOne(keys(), changed).passed()).isFalse();
  }

  @Test
  void body_byteBuffers_sameAsArrays() {
    byte[] message =
        signed(
            signer("ed", ED)
                .canonicalization(Canonicalization.SIMPLE, Canonicalization.RELAXED)
                .build());
    TestMessages.Split split = TestMessages.split(message);
    DkimVerifyStream v = verifier(keys()).newStream();
    split.fields().forEach(v::header);
    v.endOfHeaders();
    ByteBuffer direct = ByteBuffer.allocateDirect(split.body().length);
    direct.put(split.body()).flip();
    v.body(direct);
    assertThat(v.finish().toCompletableFuture().join().get(0).passed()).isTrue();
  }

  @Test
  void header_afterEndOfHeaders_isMisuse() {
    DkimVerifyStream v = verifier(keys()).newStream();
    v.endOfHeaders();
    assertThatThrownBy(() -> v.header("X: y".getBytes())).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void finish_randomlyCorruptedMessages_neverThrow() {
    byte[] message =
        TestMessages.sign(
            List.of(signer("rsa", RSA).build(), signer("ed", ED).bodyLength(true).build()),
            MESSAGE,
            64);
    java.util.Random random = new java.util.Random(42);
    DkimVerifier verifier = verifier(keys());
    int passed = 0;
    for (int round = 0; round < 1500; round++) {
      byte[] copy = message.clone();
      int changes = 1 + random.nextInt(4);
      for (int k = 0; k < changes; k++) {
        byte[] pool = {';', '=', ':', ' ', '\t', '\r', '\n', 'b', 'h', '0', (byte) 0xff, 'a'};
        copy[random.nextInt(copy.length)] = pool[random.nextInt(pool.length)];
      }
      List<DkimOutcome> outcomes = TestMessages.verify(verifier, copy, 1 + random.nextInt(50));
      assertThat(outcomes.size()).isLessThanOrEqualTo(3);
      for (DkimOutcome outcome : outcomes) {
        assertThat(outcome.reason()).isNotBlank();
        if (outcome.passed()) {
          passed++;
        }
      }
    }
    assertThat(passed).isPositive(); // some corruptions hit unsigned bytes or FWS
  }

  @Test
  void finish_timestampInTheFuture_isPermerror() {
    // RFC 6376 §3.5 t=: verifiers may ignore signatures from the future; a little skew is allowed
    byte[] future =
        signed(
            signer("rsa", RSA).clock(Clock.fixed(NOW.plusSeconds(3600), ZoneOffset.UTC)).build());
    DkimOutcome outcome = verifyOne(keys(), future);
    assertThat(outcome.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(outcome.reason()).contains("in the future");
    byte[] skewed =
        signed(signer("rsa", RSA).clock(Clock.fixed(NOW.plusSeconds(200), ZoneOffset.UTC)).build());
    assertThat(verifyOne(keys(), skewed).passed()).isTrue();
    DkimVerifier strict =
        DkimVerifier.builder(TestMessages.resolver(keys()))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .clockSkew(Duration.ZERO)
            .build();
    assertThat(TestMessages.verify(strict, skewed).get(0).result()).isEqualTo(DkimResult.PERMERROR);
  }

  @Test
  void finish_identityIsQuotedPrintableDecoded() {
    byte[] message = signed(signer("rsa", RSA).identity("j=hn@mail.example.com").build());
    DkimOutcome outcome = verifyOne(keys(), message);
    assertThat(outcome.passed()).isTrue();
    assertThat(outcome.identity()).contains("j=hn@mail.example.com");
    DkimOutcome broken = verifyOne(keys(), edit(message, "i=j=3Dhn@", "i=j=hn@"));
    assertThat(broken.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(broken.reason()).contains("quoted-printable");
  }

  @Test
  void finish_unpaddedBodyHash_isPermerror() {
    byte[] message = signed(signer("ed", ED).build());
    String text = new String(message, StandardCharsets.ISO_8859_1);
    String bh = text.replaceAll("(?s).*bh=([^;]*);.*", "$1");
    assertThat(bh).endsWith("=");
    DkimOutcome outcome = verifyOne(keys(), edit(message, "bh=" + bh, "bh=" + bh.replace("=", "")));
    assertThat(outcome.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(outcome.reason()).contains("bh=");
  }

  @Test
  void finish_keyParserOrResolverThrowing_givesOutcomes() {
    byte[] message = signed(signer("rsa", RSA).build());
    DkimVerifier throwingParser =
        DkimVerifier.builder(TestMessages.resolver(keys()))
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .keyParser(
                text -> {
                  throw new IllegalStateException("cache broken");
                })
            .build();
    DkimOutcome parsed = TestMessages.verify(throwingParser, message).get(0);
    assertThat(parsed.result()).isEqualTo(DkimResult.TEMPERROR);
    assertThat(parsed.reason()).contains("cache broken");
    DkimVerifier throwingResolver =
        DkimVerifier.builder(
                new org.authmill.dns.DnsResolver() {
                  @Override
                  public <T>
                      java.util.concurrent.CompletionStage<org.authmill.dns.DnsAnswer<T>> lookup(
                          String name, org.authmill.dns.RecordType<T> type) {
                    throw new IllegalStateException("resolver closed");
                  }
                })
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();
    DkimOutcome resolved = TestMessages.verify(throwingResolver, message).get(0);
    assertThat(resolved.result()).isEqualTo(DkimResult.TEMPERROR);
    assertThat(resolved.reason()).contains("resolver closed");
  }

  @Test
  void finish_emptyTagSpec_isPermerror() {
    byte[] message = edit(signed(signer("rsa", RSA).build()), "v=1;", "v=1;;");
    DkimOutcome outcome = verifyOne(keys(), message);
    assertThat(outcome.result()).isEqualTo(DkimResult.PERMERROR);
    assertThat(outcome.reason()).contains("empty tag");
  }

  @Test
  void finish_headerFloodOfSignatures_outcomesBounded() {
    // past the header limit, signatures are only counted: outcomes stay within maxSignatures
    DkimVerifyStream v =
        DkimVerifier.builder(TestMessages.resolver(keys()))
            .maxHeaderBytes(1000)
            .maxSignatures(3)
            .build()
            .newStream();
    v.header("From: a@example.com".getBytes(StandardCharsets.US_ASCII));
    for (int i = 0; i < 10_000; i++) {
      v.header("DKIM-Signature: v=1; d=example.com".getBytes(StandardCharsets.US_ASCII));
    }
    List<DkimOutcome> outcomes = v.finish().toCompletableFuture().join();
    assertThat(outcomes).hasSize(3).allMatch(o -> o.result() == DkimResult.POLICY);
    assertThat(outcomes.get(0).reason()).contains("10000 DKIM-Signature fields");
  }

  @Test
  void finish_uLabelDomain_looksUpTheALabel() {
    // RFC 8616 §4: a U-label d= (UTF-8 in an internationalized header) is looked up as A-labels
    Map<String, List<String>> keys = keys();
    keys.put("rsa._domainkey.xn--bcher-kva.example", List.of(RSA.keyRecord()));
    DkimSigner signer =
        DkimSigner.builder()
            .domain("b\u00fccher.example")
            .selector("rsa")
            .key(RSA)
            .clock(Clock.fixed(NOW, ZoneOffset.UTC))
            .build();
    assertThat(signer.domain()).isEqualTo("xn--bcher-kva.example");
    byte[] message = signed(signer);
    assertThat(verifyOne(keys, message).passed()).isTrue();
    byte[] uLabel =
        edit(message, "d=xn--bcher-kva.example", "d=b\u00c3\u00bccher.example"); // UTF-8 octets
    DkimOutcome outcome = verifyOne(keys, uLabel);
    assertThat(outcome.domain()).contains("xn--bcher-kva.example");
    assertThat(outcome.reason()).isEqualTo("signature did not verify (headers changed?)");
  }
}
