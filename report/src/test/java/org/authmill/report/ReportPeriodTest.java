package org.authmill.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReportPeriodTest {
  @Test
  void new_lengthsDividingADayOrWholeDays_areAccepted() {
    for (Duration d :
        new Duration[] {
          Duration.ofMinutes(1),
          Duration.ofMinutes(15),
          Duration.ofHours(1),
          Duration.ofHours(4),
          Duration.ofHours(6),
          Duration.ofHours(24),
          Duration.ofDays(2),
          Duration.ofDays(7)
        }) {
      assertThat(new ReportPeriod(d).length()).isEqualTo(d);
    }
  }

  @Test
  void new_lengthNotDividingADay_isRefusedNamingTheRule() {
    assertThatThrownBy(() -> new ReportPeriod(Duration.ofMinutes(7)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("divide a day evenly")
        .hasMessageContaining("got 7m");
    assertThatThrownBy(() -> new ReportPeriod(Duration.ofHours(5))).hasMessageContaining("got 5h");
    assertThatThrownBy(() -> new ReportPeriod(Duration.ofHours(36)))
        .hasMessageContaining("got 36h");
  }

  @Test
  void new_outsideOneMinuteToSevenDays_isRefused() {
    assertThatThrownBy(() -> new ReportPeriod(Duration.ofSeconds(30)))
        .hasMessageContaining("from 1m to 7d")
        .hasMessageContaining("got 30s");
    assertThatThrownBy(() -> new ReportPeriod(Duration.ofDays(8))).hasMessageContaining("got 8d");
    assertThatThrownBy(() -> new ReportPeriod(Duration.ofMillis(60_500)))
        .hasMessageContaining("whole seconds");
  }

  @Test
  void startOf_everyPeriodOfADayDivisorBeginsAtMidnightUtc() {
    long midnight = Instant.parse("2026-12-03T00:00:00Z").getEpochSecond();
    for (int hours : new int[] {1, 2, 3, 4, 6, 8, 12, 24}) {
      ReportPeriod p = new ReportPeriod(Duration.ofHours(hours));
      assertThat(p.startOf(Instant.ofEpochSecond(midnight))).isEqualTo(midnight);
      assertThat(p.startOf(Instant.ofEpochSecond(midnight - 1)))
          .isEqualTo(midnight - hours * 3600L);
    }
  }
}
