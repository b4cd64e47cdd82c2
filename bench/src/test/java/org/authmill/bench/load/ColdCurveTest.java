package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ColdCurveTest {
  /** Batches of 1,000 costing 3, 2, 1.5, 1.08, 1.05, 1, 1, 1 ms per message. */
  private static ColdCurve curve() {
    ColdCurve c = new ColdCurve();
    double[] perMessageMs = {3, 2, 1.5, 1.08, 1.05, 1, 1, 1};
    double cpu = 0;
    int n = 0;
    for (double ms : perMessageMs) {
      n += 1000;
      cpu += ms * 1e-3 * 1000;
      c.add(n, cpu);
    }
    return c;
  }

  @Test
  void firstMicros_cumulativeOverFirstN() {
    ColdCurve c = curve();
    assertThat(c.firstMicros(1000)).isCloseTo(3000, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(c.firstMicros(2000)).isCloseTo(2500, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(c.firstMicros(1500)).isNaN();
    assertThat(c.total()).isEqualTo(8000);
  }

  @Test
  void steadyMicros_lastBatchesTogether() {
    ColdCurve c = curve();
    assertThat(c.steadyMicros(3)).isCloseTo(1000, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(c.steadyMicros(8)).isNaN(); // needs a batch before the window
  }

  @Test
  void messagesToSteady_firstOfTwoBatchesWithinTolerance() {
    ColdCurve c = curve();
    // 1.08 and 1.05 are within 10% of 1.0: the batch from 3,000 to 4,000 starts it
    assertThat(c.messagesToSteady(3, 0.10)).isEqualTo(3000);
    assertThat(c.messagesToSteady(3, 0.06)).isEqualTo(4000);
    assertThat(c.batches()).hasSize(8);
  }

  @Test
  void add_countsMustGrow() {
    ColdCurve c = new ColdCurve();
    c.add(1000, 1);
    assertThatThrownBy(() -> c.add(1000, 2)).hasMessageContaining("must grow");
  }
}
