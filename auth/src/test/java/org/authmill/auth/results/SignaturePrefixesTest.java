package org.authmill.auth.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SignaturePrefixesTest {
  @Test
  void of_distinctSignatures_eightCharacters() {
    assertThat(SignaturePrefixes.of(List.of("AAAAAAAAxyz", "BBBBBBBBxyz")))
        .containsExactly("AAAAAAAA", "BBBBBBBB");
  }

  @Test
  void of_sharedPrefix_extendedUntilUnique() {
    assertThat(SignaturePrefixes.of(List.of("abcdefghij1", "abcdefghij2", "zzzzzzzzzz")))
        .containsExactly("abcdefghij1", "abcdefghij2", "zzzzzzzz");
  }

  @Test
  void of_foldedAndShortValues_whitespaceRemovedAndWhole() {
    assertThat(SignaturePrefixes.of(List.of("ab cd\r\n\tef gh ij", "xyz")))
        .containsExactly("abcdefgh", "xyz");
  }

  @Test
  void of_identicalSignatures_samePrefix() {
    assertThat(SignaturePrefixes.of(List.of("abcdefghij", "abcdefghij")))
        .containsExactly("abcdefgh", "abcdefgh");
  }
}
