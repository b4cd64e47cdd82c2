package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;

class StepArgsTest {
  private static final Set<String> VALUED = Set.of("--out", "--rounds");
  private static final Set<String> FLAGS = Set.of("--quick");

  @Test
  void parse_valuesAndFlags_read() {
    StepArgs a =
        StepArgs.parse(new String[] {"--quick", "--out", "/tmp/x", "--rounds", "3"}, VALUED, FLAGS);
    assertThat(a.flag("--quick")).isTrue();
    assertThat(a.path("--out")).isEqualTo(Path.of("/tmp/x"));
    assertThat(a.integer("--rounds", 6)).isEqualTo(3);
  }

  @Test
  void parse_nothingGiven_fallbacks() {
    StepArgs a = StepArgs.parse(new String[0], VALUED, FLAGS);
    assertThat(a.flag("--quick")).isFalse();
    assertThat(a.integer("--rounds", 6)).isEqualTo(6);
    assertThat(a.string("--out", "d")).isEqualTo("d");
    assertThatThrownBy(() -> a.path("--out")).hasMessageContaining("--out is required");
  }

  @Test
  void parse_unknownOption_namedInError() {
    assertThatThrownBy(() -> StepArgs.parse(new String[] {"--fast"}, VALUED, FLAGS))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown option --fast");
  }

  @Test
  void parse_missingValue_namedInError() {
    assertThatThrownBy(() -> StepArgs.parse(new String[] {"--rounds"}, VALUED, FLAGS))
        .hasMessageContaining("--rounds needs a value");
  }

  @Test
  void integer_notPositive_refused() {
    for (String bad : new String[] {"0", "-2", "two"}) {
      StepArgs a = StepArgs.parse(new String[] {"--rounds", bad}, VALUED, FLAGS);
      assertThatThrownBy(() -> a.integer("--rounds", 1))
          .hasMessageContaining("--rounds needs a positive whole number, got " + bad);
    }
  }
}
