package org.authmill.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.authmill.server.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningKeysTest {
  @TempDir Path dir;

  @Test
  void forSender_everyKeyOfTheDomainPlusTheTable() throws Exception {
    Path rsa = Files.writeString(dir.resolve("rsa.pem"), "x");
    Path ed = Files.writeString(dir.resolve("ed.pem"), "x");
    Path kt = Files.writeString(dir.resolve("KeyTable"), "t example.org:t:" + rsa + "\n");
    Path st = Files.writeString(dir.resolve("SigningTable"), "*@example.org t\n");
    SigningKeys keys =
        SigningKeys.load(
            List.of(
                SigningKey.parse("Example.com:rsa:" + rsa),
                SigningKey.parse("example.com:ed:" + ed)),
            kt.toString(),
            "refile:" + st,
            false);
    assertThat(keys.forSender("a@EXAMPLE.com"))
        .extracting(SigningKey::selector)
        .containsExactly("rsa", "ed");
    assertThat(keys.forSender("a@example.org"))
        .extracting(SigningKey::selector)
        .containsExactly("t");
    assertThat(keys.forSender("a@example.net")).isEmpty();
    assertThat(keys.isEmpty()).isFalse();
    assertThat(SigningKeys.none().isEmpty()).isTrue();
  }

  @Test
  void load_missingKeyFileIsNamed() {
    assertThatThrownBy(
            () ->
                SigningKeys.load(
                    List.of(SigningKey.parse("a.com:s:/nonexistent/k.pem")), null, null, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/nonexistent/k.pem");
  }

  @Test
  void load_oneTableWithoutTheOtherIsAnError() throws Exception {
    Path kt = Files.writeString(dir.resolve("KeyTable"), "");
    assertThatThrownBy(() -> SigningKeys.load(List.of(), kt.toString(), null, false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("give both or neither");
  }

  @Test
  void parse_specNeedsThreeParts() {
    assertThatThrownBy(() -> SigningKey.parse("example.com:sel"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("DOMAIN:SELECTOR:KEYFILE");
    assertThat(SigningKey.parse("example.com:sel:/k").recordName())
        .isEqualTo("sel._domainkey.example.com");
  }
}
