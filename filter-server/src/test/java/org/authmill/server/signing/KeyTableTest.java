package org.authmill.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.authmill.server.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyTableTest {
  @TempDir Path dir;

  @Test
  void read_flatFileWithCommentsAndBlankLines() throws Exception {
    Path file = dir.resolve("KeyTable");
    Files.writeString(
        file,
        "# OpenDKIM KeyTable\n"
            + "\n"
            + "rsa._domainkey.example.com   example.com:rsa:/etc/dkim/rsa.private  # RSA\n"
            + "ed\texample.com:ed:/etc/dkim/ed.private\n"
            + "wild %:default:/etc/dkim/%.private\n");
    KeyTable table = KeyTable.read(file.toString());
    assertThat(table.size()).isEqualTo(3);
    assertThat(table.key("RSA._domainkey.example.com", "other.org"))
        .contains(
            new SigningKey(
                "example.com",
                "rsa",
                new KeySource.File(Path.of("/etc/dkim/rsa.private")),
                Optional.empty()));
    assertThat(table.key("ed", "x.org").get().selector()).isEqualTo("ed");
    // "%" stands for the sender's domain.
    assertThat(table.key("wild", "Sender.ORG").get().domain()).isEqualTo("sender.org");
    assertThat(table.key("missing", "x.org")).isEmpty();
    assertThat(table.keyFiles())
        .containsExactly(Path.of("/etc/dkim/rsa.private"), Path.of("/etc/dkim/ed.private"));
  }

  @Test
  void read_fileSchemePrefixAccepted() throws Exception {
    Path file = dir.resolve("kt");
    Files.writeString(file, "k example.com:s:./keys/s.pem\n");
    assertThat(KeyTable.read("file:" + file).key("k", "x").get().key())
        .isEqualTo(new KeySource.File(Path.of("./keys/s.pem")));
  }

  @Test
  void parse_inlineKeyIsNotAPath() {
    KeyTable table =
        KeyTable.parse(
            Path.of("KeyTable"), List.of("k example.com:s:MIIEvQIBADANBgkqhkiG9w0BAQEFAASC"));
    assertThat(table.key("k", "x").get().key()).isInstanceOf(KeySource.Inline.class);
  }

  @Test
  void parse_missingFieldNamesFileAndLine() {
    assertThatThrownBy(
            () -> KeyTable.parse(Path.of("/etc/KeyTable"), List.of("# c", "k example.com:sel")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/etc/KeyTable line 2")
        .hasMessageContaining("DOMAIN:SELECTOR:KEYFILE");
  }

  @Test
  void parse_duplicateNameIsAnError() {
    assertThatThrownBy(() -> KeyTable.parse(Path.of("kt"), List.of("k a.com:s:/k", "K b.com:s:/k")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kt line 2")
        .hasMessageContaining("defined twice");
  }

  @Test
  void parse_invalidSelectorIsAnError() {
    assertThatThrownBy(() -> KeyTable.parse(Path.of("kt"), List.of("k a.com:bad selector!:/k")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kt line 1");
  }

  @Test
  void read_missingFileIsAnError() {
    assertThatThrownBy(() -> KeyTable.read(dir.resolve("nope").toString()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("cannot read");
  }

  @Test
  void read_refileIsRejected() throws Exception {
    Path file = dir.resolve("kt");
    Files.writeString(file, "k a.com:s:/k\n");
    assertThatThrownBy(() -> KeyTable.read("refile:" + file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("flat file");
  }
}
