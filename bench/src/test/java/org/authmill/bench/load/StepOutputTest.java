package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StepOutputTest {
  @TempDir Path dir;

  @Test
  void put_severalValues_fileHoldsNameValueLinesInOrder() throws Exception {
    Path file = dir.resolve("milter.properties");
    StepOutput out = new StepOutput(file);
    out.put("ratio.milter_vs_opendkim", 2.34567);
    out.put("milter.connections", "20");
    out.put("milter.authmill.saturation.msgs_per_s", 1234.56);
    out.put("ratio.milter_vs_opendkim", 2.5);
    assertThat(Files.readAllLines(file))
        .containsExactly(
            "ratio.milter_vs_opendkim=2.500",
            "milter.connections=20",
            "milter.authmill.saturation.msgs_per_s=1234.6");
    out.putAll(Map.of("x", "n/a"));
    assertThat(Files.readAllLines(file)).hasSize(4).last().isEqualTo("x=n/a");
    assertThat(Files.exists(dir.resolve("milter.properties.tmp"))).isFalse();
  }

  @Test
  void put_notANumber_writesNa() throws Exception {
    Path file = dir.resolve("m.properties");
    StepOutput out = new StepOutput(file);
    out.put("a", Double.NaN);
    out.put("b", Double.POSITIVE_INFINITY);
    assertThat(Files.readAllLines(file)).containsExactly("a=n/a", "b=n/a");
  }

  @Test
  void median_oddEvenEmptyAndNaN() {
    assertThat(StepOutput.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
    assertThat(StepOutput.median(List.of(4.0, 1.0, 2.0, 3.0))).isEqualTo(2.5);
    assertThat(StepOutput.median(List.of(Double.NaN, 5.0))).isEqualTo(5.0);
    assertThat(StepOutput.median(List.of())).isNaN();
  }

  @Test
  void list_twoDecimalsSpaceSeparated() {
    assertThat(StepOutput.list(List.of(1.0, 2.345, 10.0))).isEqualTo("1.00 2.35 10.00");
    assertThat(StepOutput.list(List.of())).isEmpty();
  }
}
