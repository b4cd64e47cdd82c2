package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProcStatsTest {
  @Test
  void rssKib_statusText_vmRssLine() {
    String status = "Name:\tjava\nVmPeak:\t 9000000 kB\nVmRSS:\t  163840 kB\nRssAnon:\t 100 kB\n";
    assertThat(ProcStats.rssKib(status)).isEqualTo(163_840);
  }

  @Test
  void rssKib_noLine_refused() {
    assertThatThrownBy(() -> ProcStats.rssKib("Name:\tx\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("VmRSS");
  }

  @Test
  void cpuTicks_commandWithSpacesAndParentheses_fields14And15() {
    String stat =
        "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 500 0 0 0 1234 567 0 0 20 0 30 0 100"
            + " 9000000 40000 18446744073709551615";
    assertThat(ProcStats.cpuTicks(stat)).isEqualTo(1234 + 567);
  }

  @Test
  void cpuTicks_notStat_refused() {
    assertThatThrownBy(() -> ProcStats.cpuTicks("garbage"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProcStats.cpuTicks("1 (x) S 1 2"))
        .hasMessageContaining("too few fields");
  }

  @Test
  void rssMib_thisProcess_positive() throws Exception {
    assertThat(ProcStats.rssMib(ProcessHandle.current().pid())).isPositive();
    assertThat(ProcStats.cpuSeconds(ProcessHandle.current().pid())).isPositive();
  }
}
