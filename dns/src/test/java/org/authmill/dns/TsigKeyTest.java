package org.authmill.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TsigKeyTest {
  static final String SECRET = "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0";

  @Test
  void parse_algNameSecret_readsTheThreeParts() {
    TsigKey key = TsigKey.parse("HMAC-SHA256:authmill.:" + SECRET);
    assertThat(key.algorithm()).isEqualTo("hmac-sha256");
    assertThat(key.name()).isEqualTo("authmill.");
    assertThat(key.spec()).isEqualTo("hmac-sha256:authmill.:" + SECRET);
  }

  @Test
  void parse_unknownAlgorithm_namesIt() {
    assertThatThrownBy(() -> TsigKey.parse("hmac-md4:k:" + SECRET))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("hmac-md4");
  }

  @Test
  void parse_notBase64_saysSo() {
    assertThatThrownBy(() -> TsigKey.parse("hmac-sha256:k:***")).hasMessageContaining("not base64");
  }

  @Test
  void parse_twoParts_showsTheForm() {
    assertThatThrownBy(() -> TsigKey.parse("k:" + SECRET)).hasMessageContaining("ALG:NAME:SECRET");
  }

  @Test
  void toString_neverShowsTheSecret() {
    assertThat(TsigKey.parse("hmac-sha256:k:" + SECRET).toString()).doesNotContain(SECRET);
  }

  @Test
  void read_bindKeyClause_readsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("k.key");
    Files.writeString(
        file,
        "key \"authmill-update\" {\n\talgorithm hmac-sha256;\n\tsecret \"" + SECRET + "\";\n};\n");
    TsigKey key = TsigKey.read(file);
    assertThat(key.name()).isEqualTo("authmill-update");
    assertThat(key.secret()).isEqualTo(SECRET);
  }

  @Test
  void read_knotKeySection_readsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("k.yaml");
    Files.writeString(
        file,
        "# hmac-sha512:authmill:...\nkey:\n  - id: authmill\n    algorithm: hmac-sha512\n"
            + "    secret: "
            + SECRET
            + "\n");
    TsigKey key = TsigKey.read(file);
    assertThat(key.algorithm()).isEqualTo("hmac-sha512");
    assertThat(key.name()).isEqualTo("authmill");
  }

  @Test
  void read_specLine_readsIt(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("k");
    Files.writeString(file, "# comment\nhmac-sha1:k.:" + SECRET + "\n");
    assertThat(TsigKey.read(file).algorithm()).isEqualTo("hmac-sha1");
  }

  @Test
  void read_garbage_namesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("k");
    Files.writeString(file, "\n\n");
    assertThatThrownBy(() -> TsigKey.read(file)).hasMessageContaining(file.toString());
  }
}
