package org.authmill.server.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.authmill.dkim.DkimPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFilesTest {
  @Test
  void read_groupReadable_refusedUnlessInsecure(@TempDir Path dir) throws Exception {
    Path key = dir.resolve("k.pem");
    Files.writeString(key, DkimPrivateKey.generateEd25519().toPkcs8Pem());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
    assertThatThrownBy(() -> KeyFiles.read(key, false))
        .isInstanceOf(org.authmill.server.ConfigException.class)
        .hasMessageContaining("can be read or written by group or others")
        .hasMessageContaining("--insecure-key-permissions");
    assertThat(KeyFiles.read(key, true).bits()).isEqualTo(256);
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    assertThat(KeyFiles.read(key, false).bits()).isEqualTo(256);
  }

  @Test
  void read_missingOrGarbage_saysWhat(@TempDir Path dir) throws Exception {
    assertThatThrownBy(() -> KeyFiles.read(dir.resolve("none"), false))
        .hasMessageContaining("does not exist");
    Path junk = dir.resolve("junk");
    Files.writeString(junk, "junk");
    Files.setPosixFilePermissions(junk, PosixFilePermissions.fromString("rw-------"));
    assertThatThrownBy(() -> KeyFiles.read(junk, false)).hasMessageContaining("unusable key");
  }
}
