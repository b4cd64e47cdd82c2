package org.authmill.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HeaderChangeTest {
  @Test
  void value_crlfFoldingBecomesLf() {
    assertThat(new HeaderChange.Insert(0, "Authentication-Results", "mx;\r\n\tspf=pass").value())
        .isEqualTo("mx;\n\tspf=pass");
  }

  @Test
  void value_lineBreakWithoutWhitespaceIsMisuse() {
    assertThatThrownBy(() -> new HeaderChange.Add("X", "a\nb"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeaderChange.Add("X", "a\n"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeaderChange.Add("X", "a\rb"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void name_mustBeFtext() {
    assertThatThrownBy(() -> new HeaderChange.Add("Bad:Name", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeaderChange.Add("Bad Name", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeaderChange.Add("", "v"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void occurrence_countsFromOne() {
    assertThatThrownBy(() -> new HeaderChange.Delete("X", 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeaderChange.Change("X", 1, ""))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new HeaderChange.Insert(-1, "X", "v"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(new HeaderChange.Change("X", 2, "v").occurrence()).isEqualTo(2);
  }
}
