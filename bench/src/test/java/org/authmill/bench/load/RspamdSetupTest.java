package org.authmill.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class RspamdSetupTest {
  @Test
  void rspamdConfig_milterProxyOnlyAuthenticationModules() {
    String conf =
        Daemon.rspamdConfig(12345, 5353, Path.of("/tmp/x"), Path.of("/tmp/hs"), "dkim_signing { }");
    assertThat(conf)
        .contains("filters = \"dkim\";")
        .contains("nameserver = [\"127.0.0.1:5353\"]")
        .contains("bind_socket = \"127.0.0.1:12345\";")
        .contains("milter = yes;")
        .contains("self_scan = yes;")
        .contains("spf { check_local = true;")
        .contains("dmarc { check_local = true;")
        .contains("milter_headers { use = [\"authentication-results\"];")
        .contains("hs_cache_dir = \"/tmp/hs/\";")
        .endsWith("dkim_signing { }\n");
    assertThat(Daemon.rspamdConfig(1, 2, Path.of("/tmp/x"), Path.of("/tmp/hs"), null))
        .doesNotContain("dkim_signing");
  }

  @Test
  void rotated_twoFiltersAlternateAbba_threeTakeEveryPosition() {
    List<String> two = List.of("a", "b");
    assertThat(MilterStep.rotated(two, 0)).containsExactly("a", "b");
    assertThat(MilterStep.rotated(two, 1)).containsExactly("b", "a");
    assertThat(MilterStep.rotated(two, 2)).containsExactly("b", "a");
    assertThat(MilterStep.rotated(two, 3)).containsExactly("a", "b");
    List<String> three = List.of("a", "b", "c");
    java.util.Set<String> firsts = new java.util.HashSet<>();
    for (int r = 0; r < 6; r++) {
      assertThat(MilterStep.rotated(three, r)).containsExactlyInAnyOrder("a", "b", "c");
      firsts.add(MilterStep.rotated(three, r).get(0));
    }
    assertThat(firsts).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void sizes_parsedSortedAndChecked() {
    assertThat(ColdStep.sizes("10000, 1000,50000")).containsExactly(1000, 10000, 50000);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> ColdStep.sizes("1000,x"))
        .hasMessageContaining("--sizes");
  }
}
