package org.authmill.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.authmill.dkim.DkimPrivateKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyStoreTest {
  @TempDir Path dir;

  static ManagedKey key(String selector, KeyState state) {
    return new ManagedKey(
        "example.com",
        KeyAlgorithm.ED25519,
        selector,
        state,
        "example.com/" + selector + ".private",
        "v=DKIM1; k=ed25519; p=AAAA",
        300,
        Instant.parse("2026-12-03T10:00:00Z"),
        Optional.of(Instant.parse("2026-12-03T10:00:01Z")),
        Optional.empty(),
        Optional.of(Instant.parse("2026-12-10T10:05:00Z")),
        Optional.empty(),
        Optional.of("waiting for ns2"));
  }

  @Test
  void update_roundTrip_readsBackTheSameRing() {
    KeyStore store = KeyStore.at(dir);
    DomainSettings settings =
        DomainSettings.defaults("Example.COM")
            .withDnsServer(Optional.of("192.0.2.53:53"))
            .withTsig(Optional.of("hmac-sha256:k.:c2VjcmV0"), Optional.empty())
            .withAuthoritative(List.of("192.0.2.1:53", "[2001:db8::1]:53"))
            .withTiming(600, Duration.ofDays(3))
            .withRetirement(true, RemovalMode.REVOKE, true)
            .withRotateEvery(Optional.of(Duration.ofDays(180)));
    KeyRing written =
        store.update(
            r ->
                r.withSettings(settings)
                    .with(key("a", KeyState.ACTIVE))
                    .with(key("b", KeyState.PUBLISHED)));
    assertThat(store.read()).isEqualTo(written);
    assertThat(written.settings("example.com")).contains(settings);
    assertThat(written.signing()).extracting(ManagedKey::selector).containsExactly("a");
  }

  @Test
  void update_files_ownerOnlyAndNoTemporaryLeft() throws Exception {
    KeyStore store = KeyStore.at(dir);
    store.update(r -> r.with(key("a", KeyState.ACTIVE)));
    String rel = store.writePrivateKey("example.com", "a", DkimPrivateKey.generateEd25519());
    assertThat(perms(dir.resolve("keys"))).isEqualTo("rwx------");
    assertThat(perms(store.stateFile())).isEqualTo("rw-------");
    assertThat(perms(dir.resolve("keys").resolve(rel))).isEqualTo("rw-------");
    assertThat(Files.exists(dir.resolve("keys/state.json.tmp"))).isFalse();
  }

  @Test
  void update_noChange_doesNotRewriteTheFile() throws Exception {
    KeyStore store = KeyStore.at(dir);
    store.update(r -> r.with(key("a", KeyState.ACTIVE)));
    var before = store.lastModified().orElseThrow();
    Thread.sleep(20);
    store.update(r -> r);
    assertThat(store.lastModified()).contains(before);
  }

  @Test
  void read_damagedFile_saysSoAndNamesIt() throws Exception {
    Files.createDirectories(dir.resolve("keys"));
    Files.writeString(dir.resolve("keys/state.json"), "{\"version\": 1, \"keys\": [{}]}");
    assertThatThrownBy(() -> KeyStore.at(dir).read())
        .hasMessageContaining("state.json")
        .hasMessageContaining("damaged");
  }

  @Test
  void read_noFile_isEmpty() {
    assertThat(KeyStore.at(dir).read()).isEqualTo(KeyRing.empty());
  }

  @Test
  void disposePrivateKey_archive_movesItUnderArchive() {
    KeyStore store = KeyStore.at(dir);
    String rel = store.writePrivateKey("example.com", "a", DkimPrivateKey.generateEd25519());
    ManagedKey k = key("a", KeyState.RETIRED);
    assertThat(k.keyFile()).isEqualTo(rel);
    store.disposePrivateKey(k, true);
    assertThat(Files.exists(store.privateKeyPath(k))).isFalse();
    assertThat(Files.exists(dir.resolve("keys/archive").resolve(rel))).isTrue();
  }

  static String perms(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
