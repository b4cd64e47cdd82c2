package org.authmill.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.authmill.dkim.DkimPrivateKey;
import org.authmill.keys.KeyAlgorithm;
import org.authmill.keys.KeyState;
import org.authmill.keys.KeyStore;
import org.authmill.keys.ManagedKey;
import org.authmill.server.FilterConfig;
import org.authmill.server.FilterConfigYaml;
import org.authmill.server.signing.SigningKey;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code serve --state-dir} and the record gate for listed keys, without starting the server. */
class ServeKeysTest {
  @TempDir Path dir;

  static ServeCommand parse(String... args) {
    String[] all = new String[args.length + 1];
    all[0] = "serve";
    System.arraycopy(args, 0, all, 1, args.length);
    CommandLine.ParseResult result = Authmill.commandLine().parseArgs(all);
    return result.subcommand().commandSpec().commandLine().getCommand();
  }

  ManagedKey managed(KeyStore store, String selector, KeyState state) {
    DkimPrivateKey key = DkimPrivateKey.generateEd25519();
    String file = store.writePrivateKey("example.com", selector, key);
    ManagedKey k =
        new ManagedKey(
            "example.com",
            KeyAlgorithm.ED25519,
            selector,
            state,
            file,
            key.keyRecord(),
            300,
            Instant.now(),
            Optional.of(Instant.now()),
            Optional.empty(),
            Optional.empty(),
            Optional.empty(),
            Optional.empty());
    store.update(r -> r.with(k));
    return k;
  }

  Path listedKey(String name, DkimPrivateKey key) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(file, key.toPkcs8Pem());
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    return file;
  }

  @Test
  void running_stateDir_signsWithTheActiveManagedKeysOnly() throws Exception {
    KeyStore store = KeyStore.at(dir.resolve("state"));
    managed(store, "on", KeyState.ACTIVE);
    managed(store, "pending", KeyState.PUBLISHED);
    Path zone = Files.writeString(dir.resolve("empty.zone"), "");
    FilterConfig c =
        parse("--state-dir", dir.resolve("state").toString(), "--zone", zone.toString()).running();
    assertThat(c.signing().keys()).extracting(SigningKey::selector).containsExactly("on");
    assertThat(c.signing().load().forSender("a@example.com")).hasSize(1);
  }

  @Test
  void running_listedKeys_onlyThoseWhoseRecordMatchesSign() throws Exception {
    DkimPrivateKey good = DkimPrivateKey.generateEd25519();
    DkimPrivateKey unpublished = DkimPrivateKey.generateEd25519();
    Path zone =
        Files.writeString(
            dir.resolve("keys.zone"),
            "good._domainkey.example.com. 300 IN TXT \"" + good.keyRecord() + "\"\n");
    FilterConfig c =
        parse(
                "--zone",
                zone.toString(),
                "--sign",
                "example.com:good:" + listedKey("good.pem", good),
                "--sign",
                "example.com:bad:" + listedKey("bad.pem", unpublished))
            .running();
    assertThat(c.signing().keys()).extracting(SigningKey::selector).containsExactly("good");
  }

  @Test
  void yaml_signingStateDirAndRotateEvery_areRead() throws Exception {
    Path file = dir.resolve("authmill.yml");
    Files.writeString(
        file,
        "signing:\n  state-dir: "
            + dir.resolve("state")
            + "\n  rotate-every: 180d\n  key-check-interval: 5s\n");
    FilterConfig c = FilterConfigYaml.load(file);
    assertThat(c.signing().rotateEveryDuration()).contains(Duration.ofDays(180));
    assertThat(c.signing().keyCheckInterval()).isEqualTo(Duration.ofSeconds(5));
    assertThat(parse("--config", file.toString()).managedStore(c))
        .hasValueSatisfying(s -> assertThat(s.directory()).isEqualTo(dir.resolve("state/keys")));
    Files.writeString(file, "signing:\n  rotate-every: soon\n");
    assertThatThrownBy(() -> FilterConfigYaml.load(file)).hasMessageContaining("rotate-every");
  }
}
