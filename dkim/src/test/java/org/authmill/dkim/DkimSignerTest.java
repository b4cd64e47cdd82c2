package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DkimSignerTest {
  private static final DkimPrivateKey ED = DkimPrivateKey.generateEd25519();

  private static DkimSigner.Builder builder() {
    return DkimSigner.builder().domain("example.com").selector("s1").key(ED);
  }

  @Test
  void build_defaults() {
    DkimSigner signer = builder().build();
    assertThat(signer.algorithm()).isEqualTo(SignatureAlgorithm.ED25519_SHA256);
    assertThat(signer.domain()).isEqualTo("example.com");
    assertThat(signer.selector()).isEqualTo("s1");
  }

  @Test
  void build_invalidSettings_sayWhat() {
    assertThatThrownBy(() -> builder().headers(List.of("To")).build())
        .hasMessageContaining("must include From");
    assertThatThrownBy(() -> builder().domain("bad domain").build())
        .hasMessageContaining("invalid signing domain");
    assertThatThrownBy(() -> builder().identity("u@other.example").build())
        .hasMessageContaining("within example.com");
    assertThatThrownBy(() -> builder().algorithm(SignatureAlgorithm.RSA_SHA256).build())
        .hasMessageContaining("needs a rsa key");
    assertThatThrownBy(() -> builder().headers(List.of("From", "Bad:Name")).build())
        .hasMessageContaining("invalid header field name");
    assertThatThrownBy(() -> DkimSigner.builder().domain("example.com").build())
        .hasMessageContaining("needs a domain, a selector and a key");
  }
}
