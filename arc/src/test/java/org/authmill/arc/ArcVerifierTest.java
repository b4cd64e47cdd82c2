package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.authmill.arc.ArcTesting.apply;
import static org.authmill.arc.ArcTesting.bytes;
import static org.authmill.arc.ArcTesting.seal;
import static org.authmill.arc.ArcTesting.sealer;

import java.io.ByteArrayInputStream;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.RecordType;
import org.junit.jupiter.api.Test;

class ArcVerifierTest {
  private static byte[] sealedOnce() throws Exception {
    byte[] message = bytes(ArcTesting.MESSAGE);
    return apply(seal(sealer("list.example", false), message), message);
  }

  private static ArcOutcome verifyWith(DnsResolver resolver, byte[] message) throws Exception {
    return ArcVerifier.builder(resolver)
        .build()
        .verify(new ByteArrayInputStream(message))
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @Test
  void verify_keyLookupTimesOut_failsSayingItIsTemporary() throws Exception {
    DnsResolver timeouts =
        new DnsResolver() {
          @Override
          public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
            return CompletableFuture.completedFuture(new DnsAnswer.TempFailure<>("timed out"));
          }
        };
    ArcOutcome outcome = verifyWith(timeouts, sealedOnce());
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason())
        .isEqualTo(
            "ARC-Message-Signature i=1 (d=list.example s=rsa): key lookup for"
                + " rsa._domainkey.list.example failed temporarily: timed out");
  }

  @Test
  void verify_resolverThrows_failsInsteadOfThrowing() throws Exception {
    DnsResolver broken =
        new DnsResolver() {
          @Override
          public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
            throw new IllegalStateException("resolver down");
          }
        };
    ArcOutcome outcome = verifyWith(broken, sealedOnce());
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("resolver down");
  }

  @Test
  void verify_keyRevoked_failsNamingTheKey() throws Exception {
    DnsResolver revoked =
        ArcSuite.resolver(Map.of("rsa._domainkey.list.example", List.of("v=DKIM1; k=rsa; p=")));
    ArcOutcome outcome = verifyWith(revoked, sealedOnce());
    assertThat(outcome.cv()).isEqualTo(ArcCv.FAIL);
    assertThat(outcome.reason()).contains("the key at rsa._domainkey.list.example is revoked");
  }

  @Test
  void verify_noKey_failsSayingTheNameDoesNotExist() throws Exception {
    ArcOutcome outcome = verifyWith(ArcSuite.resolver(Map.of()), sealedOnce());
    assertThat(outcome.reason())
        .endsWith("no key at rsa._domainkey.list.example (the name does not exist)");
  }

  @Test
  void verify_keyTypeMismatch_fails() throws Exception {
    DnsResolver wrongType =
        ArcSuite.resolver(
            Map.of("rsa._domainkey.list.example", List.of(ArcTesting.ED25519.keyRecord())));
    ArcOutcome outcome = verifyWith(wrongType, sealedOnce());
    assertThat(outcome.reason()).contains("is k=ed25519 but the signature is a=rsa-sha256");
  }

  @Test
  void verify_sameKeyNameTwice_looksItUpOnce() throws Exception {
    int[] lookups = new int[1];
    DnsResolver counting =
        new DnsResolver() {
          @Override
          public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
            lookups[0]++;
            return ArcTesting.RESOLVER.lookup(name, type);
          }
        };
    byte[] message = sealedOnce();
    message = apply(seal(sealer("list.example", false), message), message);
    ArcOutcome outcome = verifyWith(counting, message);
    assertThat(outcome.cv()).isEqualTo(ArcCv.PASS);
    assertThat(lookups[0]).isEqualTo(1);
  }

  @Test
  void builder_negativeLimits_areRefused() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ArcVerifier.builder(ArcTesting.RESOLVER).maxHeaderBytes(0))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
