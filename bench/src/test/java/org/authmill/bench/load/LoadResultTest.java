package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadResultTest {
  @Test
  void rate_messagesOverSeconds() {
    LoadResult r = new LoadResult("authmill", 0, 1000, 0, 1000, 2.0, 1, 2, 3, 0.5);
    assertThat(r.rate()).isEqualTo(500.0);
    assertThat(r.cpuMicrosPerMessage()).isEqualTo(500.0);
    assertThat(new LoadResult("x", 0, 0, 1, 0, 0, 1, 1, 1, 0).rate()).isNaN();
  }

  @Test
  void properties_prefixedAndFormatted() {
    LoadResult r = new LoadResult("opendkim", 250, 750, 0, 750, 3.0, 1.25, 8.5, 12.75, 1.5);
    assertThat(r.properties("milter.opendkim.half_rate"))
        .containsEntry("milter.opendkim.half_rate.offered_msgs_per_s", "250.0")
        .containsEntry("milter.opendkim.half_rate.msgs_per_s", "250.0")
        .containsEntry("milter.opendkim.half_rate.p50_ms", "1.250")
        .containsEntry("milter.opendkim.half_rate.p99_ms", "8.500")
        .containsEntry("milter.opendkim.half_rate.p999_ms", "12.750")
        .containsEntry("milter.opendkim.half_rate.cpu_us_per_msg", "2000.0")
        .containsEntry("milter.opendkim.half_rate.failures", "0");
  }

  @Test
  void format_smallLargeAndNaN() {
    assertThat(LoadResult.format(2.34567)).isEqualTo("2.346");
    assertThat(LoadResult.format(1234.56)).isEqualTo("1234.6");
    assertThat(LoadResult.format(Double.NaN)).isEqualTo("n/a");
  }
}
