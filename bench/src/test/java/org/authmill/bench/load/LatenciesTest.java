package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentile_oneToHundred_nearestRank() {
    Latencies l = new Latencies();
    for (int i = 100; i >= 1; i--) {
      l.record(i);
    }
    assertThat(l.count()).isEqualTo(100);
    assertThat(l.percentile(50)).isEqualTo(50);
    assertThat(l.percentile(99)).isEqualTo(99);
    assertThat(l.percentile(99.9)).isEqualTo(100);
    assertThat(l.percentile(100)).isEqualTo(100);
    assertThat(l.percentile(0.5)).isEqualTo(1);
  }

  @Test
  void percentile_thousandValues_p999IsTheSecondLargest() {
    Latencies l = new Latencies();
    for (int i = 1; i <= 1000; i++) {
      l.record(i * 1000L);
    }
    assertThat(l.percentile(99.9)).isEqualTo(999_000L);
    assertThat(l.percentileMillis(50)).isEqualTo(0.5);
  }

  @Test
  void percentile_recordAfterReading_sortsAgain() {
    Latencies l = new Latencies();
    l.record(5);
    assertThat(l.percentile(50)).isEqualTo(5);
    l.record(1);
    l.record(3);
    assertThat(l.percentile(50)).isEqualTo(3);
    assertThat(l.percentile(100)).isEqualTo(5);
  }

  @Test
  void record_beyondInitialCapacity_keepsEveryValue() {
    Latencies l = new Latencies();
    for (int i = 0; i < 5000; i++) {
      l.record(i);
    }
    assertThat(l.count()).isEqualTo(5000);
    assertThat(l.percentile(100)).isEqualTo(4999);
  }

  @Test
  void percentile_badInput_refused() {
    Latencies l = new Latencies();
    assertThatThrownBy(() -> l.percentile(50)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> l.record(-1)).isInstanceOf(IllegalArgumentException.class);
    l.record(1);
    assertThatThrownBy(() -> l.percentile(0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> l.percentile(100.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
