package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import org.authmill.auth.results.AuthenticationResults;
import org.authmill.auth.results.MethodResult;
import org.junit.jupiter.api.Test;

class ArcOverrideTest {
  private static ArcHop hop(int i, String domain, String selector, String results) {
    return new ArcHop(
        i,
        domain,
        selector,
        i == 1 ? ArcCv.NONE : ArcCv.PASS,
        domain,
        selector,
        results,
        AuthenticationResults.parse(results).value());
  }

  private static ArcOutcome pass(ArcHop... hops) {
    return new ArcOutcome(ArcCv.PASS, "verified", hops.length, 1, List.of(hops));
  }

  private static final List<TrustedSealer> TRUSTED =
      List.of(TrustedSealer.parse("list.example"), TrustedSealer.parse("fwd.example:arc2026"));

  @Test
  void evaluate_trustedSealerRecordedDmarcPass_overrides() {
    ArcOutcome arc =
        pass(hop(1, "list.example", "s1", "list.example; dmarc=pass header.from=author.example"));
    Optional<ArcOverride> override = ArcOverride.evaluate(true, "Author.Example", arc, TRUSTED);
    assertThat(override)
        .contains(new ArcOverride("list.example", 1, "dmarc=pass header.from=author.example"));
  }

  @Test
  void evaluate_untrustedOrWrongSelectorOrOtherFrom_noOverride() {
    String aar = "x.example; dmarc=pass header.from=author.example";
    assertThat(
            ArcOverride.evaluate(
                true, "author.example", pass(hop(1, "evil.example", "s", aar)), TRUSTED))
        .isEmpty();
    assertThat(
            ArcOverride.evaluate(
                true, "author.example", pass(hop(1, "fwd.example", "other", aar)), TRUSTED))
        .isEmpty();
    assertThat(
            ArcOverride.evaluate(
                true, "author.example", pass(hop(1, "fwd.example", "arc2026", aar)), TRUSTED))
        .isPresent();
    assertThat(
            ArcOverride.evaluate(
                true, "other.example", pass(hop(1, "list.example", "s", aar)), TRUSTED))
        .isEmpty();
  }

  @Test
  void evaluate_chainNotPassOrDmarcPassed_noOverride() {
    ArcHop hop = hop(1, "list.example", "s", "list.example; dmarc=pass header.from=author.example");
    ArcOutcome failed = ArcOutcome.fail("seal did not verify", 1, List.of(hop));
    assertThat(ArcOverride.evaluate(true, "author.example", failed, TRUSTED)).isEmpty();
    assertThat(ArcOverride.evaluate(false, "author.example", pass(hop), TRUSTED)).isEmpty();
  }

  @Test
  void evaluate_strictlyAlignedDkimPass_overridesButUnalignedDoesNot() {
    assertThat(
            ArcOverride.evaluate(
                true,
                "author.example",
                pass(
                    hop(1, "list.example", "s", "list.example; dkim=pass header.d=author.example")),
                TRUSTED))
        .map(ArcOverride::evidence)
        .contains("dkim=pass header.d=author.example");
    assertThat(
            ArcOverride.evaluate(
                true,
                "author.example",
                pass(hop(1, "list.example", "s", "list.example; dkim=pass header.d=esp.example")),
                TRUSTED))
        .isEmpty();
  }

  @Test
  void annotate_dmarcClause_getsCommentAndPolicyOverride() {
    ArcOverride override = new ArcOverride("list.example", 1, "dmarc=pass header.from=a.example");
    MethodResult dmarc = MethodResult.of("dmarc", "fail").with("header", "from", "a.example");
    String field =
        AuthenticationResults.of("mx.example", List.of(override.annotate(dmarc))).toFieldValue();
    assertThat(field)
        .isEqualTo(
            "mx.example; dmarc=fail (overridden by ARC: trusted sealer list.example i=1 recorded"
                + " dmarc=pass header.from=a.example) header.from=a.example policy.override=arc");
    MethodResult parsed = AuthenticationResults.parse(field).value().orElseThrow().results().get(0);
    assertThat(parsed.property("policy.override")).contains("arc");
  }

  @Test
  void trustedSealer_parse_refusesBadNames() {
    assertThat(TrustedSealer.parse("List.Example.:Sel").toString()).isEqualTo("list.example:sel");
    assertThatThrownBy(() -> TrustedSealer.parse("bad domain"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trusted sealer domain");
  }
}
