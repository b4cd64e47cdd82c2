package org.authmill.dkim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DkimResultTest {
  private static DkimOutcome outcome(DkimResult result) {
    return new DkimOutcome(
        result,
        Optional.of("d"),
        Optional.of("s"),
        Optional.of("rsa-sha256"),
        0,
        "r",
        Optional.of("@d"),
        OptionalLong.empty(),
        false,
        Optional.empty());
  }

  @Test
  void summarize_passWinsThenTemperror() {
    assertThat(DkimResult.summarize(List.of(outcome(DkimResult.FAIL), outcome(DkimResult.PASS))))
        .isEqualTo(DkimResult.PASS);
    assertThat(
            DkimResult.summarize(
                List.of(
                    outcome(DkimResult.PERMERROR),
                    outcome(DkimResult.TEMPERROR),
                    outcome(DkimResult.FAIL))))
        .isEqualTo(DkimResult.TEMPERROR);
    assertThat(
            DkimResult.summarize(List.of(outcome(DkimResult.PERMERROR), outcome(DkimResult.FAIL))))
        .isEqualTo(DkimResult.FAIL);
    assertThat(DkimResult.summarize(List.of())).isEqualTo(DkimResult.NONE);
  }

  @Test
  void keyword_isLowerCase() {
    assertThat(DkimResult.TEMPERROR.keyword()).isEqualTo("temperror");
  }
}
