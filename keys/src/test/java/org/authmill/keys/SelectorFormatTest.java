package org.authmill.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SelectorFormatTest {
  static final Instant T = Instant.parse("2026-12-03T23:59:59Z");

  @Test
  void next_default_algorithmAndDate() {
    assertThat(SelectorFormat.defaults().next(KeyAlgorithm.ED25519, T, Set.of()))
        .isEqualTo("ed25519-20261203");
  }

  @Test
  void next_taken_addsASuffix() {
    assertThat(
            new SelectorFormat("mail%Y%m")
                .next(KeyAlgorithm.RSA, T, Set.of("mail202612", "mail202612-2")))
        .isEqualTo("mail202612-3");
  }

  @Test
  void new_unknownField_namesIt() {
    assertThatThrownBy(() -> new SelectorFormat("k%q")).hasMessageContaining("%q");
  }

  @Test
  void new_invalidSelector_saysSo() {
    assertThatThrownBy(() -> new SelectorFormat("a b"))
        .hasMessageContaining("not a valid selector");
  }

  @Test
  void durations_shortAndIsoForms() {
    assertThat(Durations.parse("180d")).isEqualTo(Duration.ofDays(180));
    assertThat(Durations.parse("2w")).isEqualTo(Duration.ofDays(14));
    assertThat(Durations.parse("PT12H")).isEqualTo(Duration.ofHours(12));
    assertThat(Durations.format(Duration.ofDays(180))).isEqualTo("180d");
    assertThatThrownBy(() -> Durations.parse("soon")).hasMessageContaining("soon");
  }
}
