package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class MemoryStepTest {
  @Test
  void usedKib_g1_heapLineOnly() {
    String info =
        "12345:\n"
            + " garbage-first heap   total 65536K, used 9443K [0x00000000e0000000,"
            + " 0x0000000100000000)\n"
            + "  region size 1024K, 1 young (1024K), 0 survivors (0K)\n"
            + " Metaspace       used 30123K, committed 30592K, reserved 1114112K\n"
            + "  class space    used 3900K, committed 4096K, reserved 1048576K\n";
    assertThat(MemoryStep.usedKib(info)).isEqualTo(9443);
  }

  @Test
  void usedKib_serial_sumOfGenerations() {
    String info =
        " def new generation   total 19648K, used 1234K [0x1, 0x2, 0x3)\n"
            + "  eden space 17472K,   7% used [0x1, 0x2, 0x3)\n"
            + " tenured generation   total 43712K, used 10000K [0x4, 0x5, 0x6)\n"
            + " Metaspace       used 20000K, committed 20480K, reserved 1056768K\n";
    assertThat(MemoryStep.usedKib(info)).isEqualTo(11_234);
  }

  @Test
  void usedKib_noHeapLine_refused() {
    assertThatThrownBy(() -> MemoryStep.usedKib("12345:\nAttachNotSupportedException"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("GC.heap_info");
  }
}
