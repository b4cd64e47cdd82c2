package org.authmill.arc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.authmill.auth.results.AuthenticationResults;
import org.junit.jupiter.api.Test;

class ArcPolicyTest {
  private static final AuthenticationResults OURS =
      AuthenticationResults.parse(
              "mx.example; spf=fail smtp.mailfrom=list.example;"
                  + " dmarc=fail header.from=author.example")
          .value()
          .orElseThrow();

  private static ArcOutcome passBy(String sealer) {
    String aar = sealer + "; dmarc=pass header.from=author.example";
    ArcHop hop =
        new ArcHop(
            1, sealer, "s", ArcCv.NONE, sealer, "s", aar, AuthenticationResults.parse(aar).value());
    return new ArcOutcome(ArcCv.PASS, "verified", 1, 1, List.of(hop));
  }

  @Test
  void apply_trustedSealer_annotatesDmarcAndAddsArc() {
    ArcPolicy policy = new ArcPolicy(List.of(TrustedSealer.parse("list.example")));
    ArcPolicy.Applied applied =
        policy.apply(
            OURS,
            true,
            Optional.of("author.example"),
            passBy("list.example"),
            Optional.of("192.0.2.1"));
    assertThat(applied.override()).isPresent();
    assertThat(applied.results().toFieldValue())
        .isEqualTo(
            "mx.example; spf=fail smtp.mailfrom=list.example; dmarc=fail (overridden by ARC:"
                + " trusted sealer list.example i=1 recorded dmarc=pass header.from=author.example)"
                + " header.from=author.example policy.override=arc; arc=pass header.oldest-pass=1"
                + " smtp.remote-ip=192.0.2.1 arc.chain=list.example");
    assertThat(applied.resultsAfterAuthservId()).startsWith("spf=fail smtp.mailfrom=list.example;");
  }

  @Test
  void apply_untrustedSealer_onlyAddsArc() {
    ArcPolicy policy = new ArcPolicy(List.of(TrustedSealer.parse("list.example")));
    ArcPolicy.Applied applied =
        policy.apply(
            OURS, true, Optional.of("author.example"), passBy("other.example"), Optional.empty());
    assertThat(applied.override()).isEmpty();
    assertThat(applied.results().toFieldValue())
        .isEqualTo(
            "mx.example; spf=fail smtp.mailfrom=list.example; dmarc=fail"
                + " header.from=author.example; arc=pass header.oldest-pass=1"
                + " arc.chain=other.example");
  }
}
