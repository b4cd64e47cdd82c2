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

class SigningTableTest {
  @TempDir Path dir;

  private static final KeyTable KEYS =
      KeyTable.parse(
          Path.of("KeyTable"),
          List.of(
              "rsa example.com:rsa:/k/rsa",
              "ed example.com:ed:/k/ed",
              "sub sub.example.com:s:/k/sub",
              "user user.example.com:u:/k/u",
              "any catchall.example:c:/k/c",
              "example.net %:net:/k/net"));

  private static List<String> selectors(List<SigningKey> keys) {
    return keys.stream().map(k -> k.domain() + "/" + k.selector()).toList();
  }

  @Test
  void keysFor_refilePatternsInFileOrderFirstMatch() throws Exception {
    Path file = dir.resolve("SigningTable");
    Files.writeString(file, "*@example.com rsa\n*@example.com ed\n*@*.example.com sub\n");
    SigningTable table = SigningTable.read("refile:" + file);
    table.checkAgainst(KEYS);
    assertThat(selectors(table.keysFor("Alice@Example.COM", KEYS, false)))
        .containsExactly("example.com/rsa");
    assertThat(selectors(table.keysFor("a@mail.example.com", KEYS, false)))
        .containsExactly("sub.example.com/s");
    assertThat(table.keysFor("a@example.org", KEYS, false)).isEmpty();
  }

  @Test
  void keysFor_refileMultipleSignaturesGivesRsaAndEd25519() {
    SigningTable table =
        SigningTable.parse(true, Path.of("st"), List.of("*@example.com rsa", "*@example.com ed"));
    assertThat(selectors(table.keysFor("a@example.com", KEYS, true)))
        .containsExactly("example.com/rsa", "example.com/ed");
  }

  @Test
  void keysFor_flatTableLookupOrder() {
    SigningTable table =
        SigningTable.parse(
            false,
            Path.of("st"),
            List.of(
                "*                     any",
                "bob@*                 user",
                ".example.com          sub",
                "bob@.example.com      ed",
                "example.com           rsa",
                "carol@deep.example.com  user"));
    // user@host first
    assertThat(selectors(table.keysFor("carol@deep.example.com", KEYS, false)))
        .containsExactly("user.example.com/u");
    // then host
    assertThat(selectors(table.keysFor("dave@example.com", KEYS, false)))
        .containsExactly("example.com/rsa");
    // then user@.domain over parent domains, before .domain
    assertThat(selectors(table.keysFor("bob@deep.example.com", KEYS, false)))
        .containsExactly("example.com/ed");
    // then .domain
    assertThat(selectors(table.keysFor("erin@deep.example.com", KEYS, false)))
        .containsExactly("sub.example.com/s");
    // then user@*
    assertThat(selectors(table.keysFor("bob@other.org", KEYS, false)))
        .containsExactly("user.example.com/u");
    // finally *
    assertThat(selectors(table.keysFor("zed@other.org", KEYS, false)))
        .containsExactly("catchall.example/c");
    // all matches in lookup order with MultipleSignatures
    assertThat(selectors(table.keysFor("bob@deep.example.com", KEYS, true)))
        .containsExactly(
            "example.com/ed", "sub.example.com/s", "user.example.com/u", "catchall.example/c");
  }

  @Test
  void keysFor_percentNamesTheSenderDomainAndSigner() {
    SigningTable table =
        SigningTable.parse(false, Path.of("st"), List.of("example.net %:postmaster@%"));
    List<SigningKey> keys = table.keysFor("a@example.net", KEYS, false);
    assertThat(keys)
        .containsExactly(
            new SigningKey(
                "example.net",
                "net",
                new KeySource.File(Path.of("/k/net")),
                Optional.of("postmaster@example.net")));
  }

  @Test
  void checkAgainst_unknownKeyNameNamesTheLine() {
    SigningTable table =
        SigningTable.parse(true, Path.of("/etc/st"), List.of("*@a.com rsa", "*@b.com nokey"));
    assertThatThrownBy(() -> table.checkAgainst(KEYS))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/etc/st line 2")
        .hasMessageContaining("nokey");
  }

  @Test
  void parse_rowWithoutKeyIsAnError() {
    assertThatThrownBy(() -> SigningTable.parse(true, Path.of("st"), List.of("*@a.com")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("st line 1");
  }

  @Test
  void keysFor_notAnAddressMatchesNothing() {
    SigningTable table = SigningTable.parse(true, Path.of("st"), List.of("* rsa"));
    assertThat(table.keysFor("no-at-sign", KEYS, false)).isEmpty();
    assertThat(selectors(table.keysFor("x@y", KEYS, false))).containsExactly("example.com/rsa");
  }
}
