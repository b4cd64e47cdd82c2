package org.authmill.bench;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BenchZonesTest {
  @Test
  void txt_longText_splitIntoQuotedStringsOf255() {
    String text = "a".repeat(300);
    assertThat(BenchZones.txt(text))
        .isEqualTo("\"" + "a".repeat(255) + "\" \"" + "a".repeat(45) + "\"");
    assertThat(BenchZones.txt("v=spf1 -all")).isEqualTo("\"v=spf1 -all\"");
  }
}
