package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.authmill.dns.DnsResolver;
import org.junit.jupiter.api.Test;

class DkimVerifierTest {
  private static final DkimPrivateKey ED = DkimPrivateKey.generateEd25519();

  @Test
  void verify_stream_passesAndUsesTheKeyParser() {
    byte[] message =
        TestMessages.sign(
            DkimSigner.builder().domain("example.com").selector("s").key(ED).build(),
            TestMessages.crlf("From: a@example.com\nSubject: s\n\nbody\n"));
    AtomicInteger parses = new AtomicInteger();
    DkimVerifier verifier =
        DkimVerifier.builder(
                TestMessages.resolver(Map.of("s._domainkey.example.com", List.of(ED.keyRecord()))))
            .keyParser(
                text -> {
                  parses.incrementAndGet();
                  return DkimKeyRecord.parse(text);
                })
            .build();
    List<DkimOutcome> outcomes =
        verifier.verify(new ByteArrayInputStream(message)).toCompletableFuture().join();
    assertThat(outcomes).hasSize(1).allMatch(DkimOutcome::passed);
    assertThat(parses).hasValue(1);
  }

  @Test
  void verify_readFailure_completesExceptionally() {
    DkimVerifier verifier = DkimVerifier.builder(TestMessages.resolver(Map.of())).build();
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("disk gone");
          }
        };
    assertThatThrownBy(() -> verifier.verify(broken).toCompletableFuture().join())
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(UncheckedIOException.class);
  }

  @Test
  void build_limitsAreChecked() {
    assertThatThrownBy(() -> DkimVerifier.builder(null)).isInstanceOf(NullPointerException.class);
    DnsResolver dns = TestMessages.resolver(Map.of());
    assertThatThrownBy(() -> DkimVerifier.builder(dns).minRsaKeyBits(512))
        .hasMessageContaining("RFC 8301");
    assertThatThrownBy(() -> DkimVerifier.builder(dns).maxRsaKeyBits(2048))
        .hasMessageContaining("4096");
    assertThatThrownBy(() -> DkimVerifier.builder(dns).maxSignatures(0))
        .hasMessageContaining("at least 1");
  }
}
