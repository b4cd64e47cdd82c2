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
  void threadGroup_hotspotThreadNames() {
    String rest = " S 1 2 3 0 -1 0 0 0 0 0 10 5 0 0 20 0 1 0 1 1 1";
    assertThat(ProcStats.threadGroup("7 (C2 CompilerThre)" + rest)).isEqualTo("jit");
    assertThat(ProcStats.threadGroup("8 (C1 CompilerThre)" + rest)).isEqualTo("jit");
    assertThat(ProcStats.threadGroup("9 (G1 Young RemSet)" + rest)).isEqualTo("gc");
    assertThat(ProcStats.threadGroup("10 (VM Thread)" + rest)).isEqualTo("gc");
    assertThat(ProcStats.threadGroup("11 (vert.x-eventloo)" + rest)).isEqualTo("other");
  }

  @Test
  void threadCpuSeconds_thisJvm_hasCompilerAndOtherThreads() throws Exception {
    java.util.Map<String, Double> groups =
        ProcStats.threadCpuSeconds(ProcessHandle.current().pid());
    assertThat(groups).containsOnlyKeys("jit", "gc", "other");
    assertThat(groups.get("other")).isPositive();
    // the tree of a process without children is the process
    assertThat(ProcStats.tree(ProcessHandle.current().pid()))
        .startsWith(ProcessHandle.current().pid());
  }

  @Test
  void rssMib_thisProcess_positive() throws Exception {
    assertThat(ProcStats.rssMib(ProcessHandle.current().pid())).isPositive();
    assertThat(ProcStats.cpuSeconds(ProcessHandle.current().pid())).isPositive();
  }
}
