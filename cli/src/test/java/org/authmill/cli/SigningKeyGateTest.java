package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.ZoneResolver;
import org.authmill.server.signing.KeySource;
import org.authmill.server.signing.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeyGateTest {
  @TempDir Path dir;

  SigningKey key(String selector, DkimPrivateKey privateKey) throws Exception {
    Path file = dir.resolve(selector + ".pem");
    Files.writeString(file, privateKey.toPkcs8Pem());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return new SigningKey("example.com", selector, new KeySource.File(file), Optional.empty());
  }

  @Test
  void check_matchingMissingDifferentRevoked_onlyTheMatchingOneSigns() throws Exception {
    DkimPrivateKey good = DkimPrivateKey.generateEd25519();
    DkimPrivateKey other = DkimPrivateKey.generateEd25519();
    String zone =
        "good._domainkey.example.com. 300 IN TXT \""
            + good.keyRecord()
            + "\"\n"
            + "wrong._domainkey.example.com. 300 IN TXT \""
            + other.keyRecord()
            + "\"\n"
            + "gone._domainkey.example.com. 300 IN TXT \"v=DKIM1; k=ed25519; p=\"\n";
    List<SigningKeyGate.Verdict> verdicts =
        SigningKeyGate.check(
            List.of(key("good", good), key("missing", good), key("wrong", good), key("gone", good)),
            ZoneResolver.fromText(zone),
            false);
    assertThat(verdicts)
        .extracting(SigningKeyGate.Verdict::signs)
        .containsExactly(true, false, false, false);
    assertThat(verdicts.get(1).reason())
        .contains("not signing with example.com:missing")
        .contains("no key record at missing._domainkey.example.com")
        .contains("publish \"v=DKIM1; k=ed25519; p=");
    assertThat(verdicts.get(2).reason()).contains("holds a different key");
    assertThat(verdicts.get(3).reason()).contains("revoked");
  }

  @Test
  void check_dnsFailure_keepsSigningWithAWarning() throws Exception {
    DnsResolver failing =
        new DnsResolver() {
          @Override
          public <T> java.util.concurrent.CompletionStage<DnsAnswer<T>> lookup(
              String name, org.authmill.dns.RecordType<T> type) {
            return CompletableFuture.completedFuture(new DnsAnswer.TempFailure<>("timeout"));
          }
        };
    List<SigningKeyGate.Verdict> verdicts =
        SigningKeyGate.check(List.of(key("k", DkimPrivateKey.generateEd25519())), failing, false);
    assertThat(verdicts.get(0).signs()).isTrue();
    assertThat(verdicts.get(0).reason()).contains("cannot check").contains("keeps signing");
  }
}
