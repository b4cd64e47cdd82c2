package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.authmill.auth.results.AuthenticationResults;
import org.authmill.auth.results.MethodResult;
import org.junit.jupiter.api.Test;

class ArcResultClausesTest {
  private static ArcHop hop(int i, String domain) {
    return new ArcHop(
        i, domain, "s", i == 1 ? ArcCv.NONE : ArcCv.PASS, domain, "s", "x; none", Optional.empty());
  }

  @Test
  void arc_pass_writesOldestPassRemoteIpAndChainThatParseBack() {
    ArcOutcome outcome =
        new ArcOutcome(
            ArcCv.PASS,
            "verified",
            2,
            1,
            List.of(hop(1, "list.example"), hop(2, "forward.example")));
    MethodResult clause = ArcResultClauses.arc(outcome, Optional.of("192.0.2.7"));
    String field = AuthenticationResults.of("mx.example", List.of(clause)).toFieldValue();
    assertThat(field)
        .isEqualTo(
            "mx.example; arc=pass header.oldest-pass=1 smtp.remote-ip=192.0.2.7"
                + " arc.chain=\"list.example:forward.example\"");
    MethodResult parsed = AuthenticationResults.parse(field).value().orElseThrow().results().get(0);
    assertThat(parsed.method()).isEqualTo("arc");
    assertThat(parsed.result()).isEqualTo("pass");
    assertThat(parsed.property("header.oldest-pass")).contains("1");
    assertThat(parsed.property("smtp.remote-ip")).contains("192.0.2.7");
    assertThat(parsed.property("arc.chain")).contains("list.example:forward.example");
  }

  @Test
  void arc_unquotedChain_parsesToo() {
    MethodResult parsed =
        AuthenticationResults.parse(
                "mx.example; arc=pass header.oldest-pass=2 smtp.remote-ip=192.0.2.7"
                    + " arc.chain=a.example:b.example")
            .value()
            .orElseThrow()
            .results()
            .get(0);
    assertThat(parsed.property("arc.chain")).contains("a.example:b.example");
  }

  @Test
  void arc_fail_hasReasonAndNoOldestPass() {
    ArcOutcome outcome =
        ArcOutcome.fail("ARC-Seal i=1 (d=x s=y): seal did not verify", 1, List.of());
    MethodResult clause = ArcResultClauses.arc(outcome, Optional.empty());
    String field = AuthenticationResults.of("mx.example", List.of(clause)).toFieldValue();
    assertThat(field).startsWith("mx.example; arc=fail reason=\"ARC-Seal i=1");
    assertThat(field).doesNotContain("oldest-pass").doesNotContain("arc.chain");
    MethodResult parsed = AuthenticationResults.parse(field).value().orElseThrow().results().get(0);
    assertThat(parsed.reason()).contains("ARC-Seal i=1 (d=x s=y): seal did not verify");
  }

  @Test
  void arc_none_isBare() {
    MethodResult clause = ArcResultClauses.arc(ArcOutcome.none(), Optional.empty());
    assertThat(clause.toString()).isEqualTo("arc=none");
  }
}
