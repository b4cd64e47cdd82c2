package org.authmill.auth.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimResult;
import org.authmill.dmarc.AuthorDomains;
import org.authmill.dmarc.DkimCheck;
import org.authmill.dmarc.DmarcCases;
import org.authmill.dmarc.DmarcEvaluator;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.dns.ZoneResolver;
import org.authmill.spf.SpfIdentity;
import org.authmill.spf.SpfOutcome;
import org.authmill.spf.SpfResult;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AuthResultClausesTest {
  static final ZoneResolver ZONE = ZoneResolver.fromText(DmarcCases.zoneText());

  /** An SPF outcome as the verifier gives it, for the clause builders. */
  static SpfOutcome spfOutcome(
      SpfResult result, SpfIdentity identity, String identityValue, String reason) {
    String domain = identityValue.substring(identityValue.lastIndexOf('@') + 1);
    return new SpfOutcome(
        result,
        identity,
        identityValue,
        domain,
        InetAddress.getLoopbackAddress(),
        "mail.example.net",
        identity == SpfIdentity.MAILFROM ? identityValue : "",
        Optional.empty(),
        Optional.empty(),
        reason,
        1,
        0,
        Duration.ZERO);
  }

  /** A DKIM outcome as the verifier gives it, for the clause builders. */
  static DkimOutcome dkimOutcome(
      DkimResult result,
      String domain,
      String selector,
      String algorithm,
      String reason,
      String signatureData) {
    return new DkimOutcome(
        result,
        domain,
        selector,
        algorithm,
        2048,
        reason,
        "@" + domain,
        OptionalLong.empty(),
        false,
        signatureData);
  }

  /** The Authentication-Results field authmill writes for a project case. */
  static AuthenticationResults fieldFor(DmarcCases.Case c) {
    DmarcOutcome outcome = DmarcCases.run(c, ZONE);
    List<MethodResult> results = new ArrayList<>();
    c.spf()
        .ifPresent(
            s ->
                results.add(
                    AuthResultClauses.spf(
                        spfOutcome(
                            SpfResult.fromKeyword(s.result()),
                            SpfIdentity.MAILFROM,
                            "bounce@" + s.domain(),
                            "the case says " + s.result()))));
    List<DkimOutcome> signatures = new ArrayList<>();
    for (int i = 0; i < c.dkim().size(); i++) {
      DkimCheck d = c.dkim().get(i);
      signatures.add(
          dkimOutcome(
              DkimResult.valueOf(d.result().toUpperCase(Locale.ROOT)),
              d.domain(),
              d.selector(),
              "rsa-sha256",
              "the case says " + d.result(),
              "AbCdEfGh/+" + i + "=tail" + i));
    }
    results.addAll(AuthResultClauses.dkim(signatures, 16));
    results.add(AuthResultClauses.dmarc(outcome));
    return AuthenticationResults.of("mx.receiver.example", results);
  }

  @TestFactory
  Stream<DynamicTest> roundTrip_everyProjectCase_sameValues() {
    return DmarcCases.load().stream()
        .map(
            c ->
                DynamicTest.dynamicTest(
                    c.name(),
                    () -> {
                      AuthenticationResults ar = fieldFor(c);
                      assertThat(AuthenticationResultsTest.parsed(ar.toFieldValue())).isEqualTo(ar);
                      assertThat(AuthenticationResultsTest.parsed(ar.toHeaderField()))
                          .isEqualTo(ar);
                      assertThat(AuthenticationResultsTest.parsed(ar.fold(50, "\n"))).isEqualTo(ar);
                    }));
  }

  private static MethodResult dmarcOf(String domain) {
    DmarcOutcome o =
        DmarcEvaluator.builder(ZONE)
            .build()
            .evaluate(AuthorDomains.of(domain), Optional.empty(), List.of())
            .toCompletableFuture()
            .join();
    return AuthResultClauses.dmarc(o);
  }

  @Test
  void dmarc_testingFailure_commentAndPolicyAfterT() {
    assertThat(dmarcOf("testing-reject.example").toString())
        .isEqualTo(
            "dmarc=fail (p=reject dis=quarantine t=y) header.from=testing-reject.example"
                + " policy.dmarc=quarantine");
  }

  @Test
  void dmarc_nonExistentSubdomain_namesNp() {
    assertThat(dmarcOf("ghost.np.example").toString())
        .isEqualTo(
            "dmarc=fail (np=reject dis=reject) header.from=ghost.np.example policy.dmarc=reject");
  }

  @Test
  void dmarc_noRecord_noPolicy() {
    assertThat(dmarcOf("nodmarc.example").toString())
        .isEqualTo("dmarc=none header.from=nodmarc.example");
  }

  @Test
  void dmarc_temperror_reasonInComment() {
    assertThat(dmarcOf("loop.example").comment())
        .hasValueSatisfying(c -> assertThat(c).contains("_dmarc.loop.example"));
  }

  @Test
  void dmarc_noAuthorDomain_singleResultWithoutHeaderFrom() {
    DmarcOutcome o =
        DmarcEvaluator.builder(ZONE)
            .build()
            .evaluate(
                new AuthorDomains(List.of(), 0, false, List.of("no From"), true),
                Optional.empty(),
                List.of())
            .toCompletableFuture()
            .join();
    MethodResult r = AuthResultClauses.dmarc(o);
    assertThat(r.result()).isEqualTo("permerror");
    assertThat(r.properties()).isEmpty();
  }

  @Test
  void dmarc_reasonNamingSections_readableInAscii() {
    DmarcOutcome o =
        DmarcEvaluator.builder(ZONE)
            .build()
            .evaluate(
                org.authmill.dmarc.AuthorDomainExtractor.withDefaults().fromFieldValues(List.of()),
                Optional.empty(),
                List.of())
            .toCompletableFuture()
            .join();
    assertThat(AuthResultClauses.dmarc(o).comment())
        .hasValueSatisfying(
            c -> assertThat(c).contains("RFC 5322 section 3.6").doesNotContain("?"));
  }

  @Test
  void dmarc_repeatedFrom_onlyMessageLevelResult() {
    DmarcOutcome o =
        DmarcEvaluator.builder(ZONE)
            .build()
            .evaluate(
                org.authmill.dmarc.AuthorDomainExtractor.withDefaults()
                    .fromFieldValues(List.of("a@relaxed.example", "a@relaxed.example")),
                Optional.of(new org.authmill.dmarc.SpfCheck("relaxed.example", "pass")),
                List.of())
            .toCompletableFuture()
            .join();
    MethodResult r = AuthResultClauses.dmarc(o);
    assertThat(r.result()).isEqualTo("permerror");
    assertThat(r.property("header.from")).contains("relaxed.example");
    assertThat(r.comment())
        .hasValueSatisfying(c -> assertThat(c).contains("repeated or malformed"));
  }

  @Test
  void dmarc_severalDomains_worstOneWithCount() {
    DmarcOutcome o =
        DmarcEvaluator.builder(ZONE)
            .build()
            .evaluate(
                org.authmill.dmarc.AuthorDomainExtractor.withDefaults()
                    .fromFieldValues(List.of("a@evil.example, b@strict.example")),
                Optional.of(new org.authmill.dmarc.SpfCheck("evil.example", "pass")),
                List.of())
            .toCompletableFuture()
            .join();
    assertThat(AuthResultClauses.dmarc(o).toString())
        .isEqualTo(
            "dmarc=fail (p=reject dis=reject; worst of 2 author domains)"
                + " header.from=strict.example policy.dmarc=reject");
  }

  @Test
  void spfAndDkim_propertiesNamedByRfc8601() {
    assertThat(
            AuthResultClauses.spf(
                    spfOutcome(SpfResult.PASS, SpfIdentity.MAILFROM, "user@example.com", "ok"))
                .toString())
        .isEqualTo("spf=pass smtp.mailfrom=user@example.com");
    assertThat(
            AuthResultClauses.spf(
                    spfOutcome(SpfResult.NONE, SpfIdentity.HELO, "mail.example.com", "no record"))
                .toString())
        .isEqualTo("spf=none smtp.helo=mail.example.com");
    assertThat(
            AuthResultClauses.dkim(
                    dkimOutcome(
                        DkimResult.PASS, "example.com", "s1", "ed25519-sha256", "verified", ""),
                    "ab/cdEFG")
                .toString())
        .isEqualTo(
            "dkim=pass header.d=example.com header.s=s1 header.a=ed25519-sha256 header.b=\"ab/cdEFG\"");
    assertThat(
            AuthResultClauses.dkim(
                    dkimOutcome(DkimResult.PERMERROR, "example.com", "", "", "no key", ""), "")
                .toString())
        .isEqualTo("dkim=permerror reason=\"no key\" header.d=example.com");
  }

  @Test
  void spf_failure_reasonAsAsciiComment() {
    assertThat(
            AuthResultClauses.spf(
                    spfOutcome(
                        SpfResult.FAIL,
                        SpfIdentity.MAILFROM,
                        "user@example.com",
                        "192.0.2.1 is not allowed (RFC 7208 §4.6)"))
                .toString())
        .isEqualTo(
            "spf=fail (192.0.2.1 is not allowed \\(RFC 7208 section 4.6\\))"
                + " smtp.mailfrom=user@example.com");
  }

  @Test
  void dkim_noSignature_none() {
    assertThat(AuthResultClauses.dkim(List.of(), 5))
        .extracting(MethodResult::toString)
        .containsExactly("dkim=none");
  }

  @Test
  void dkim_moreSignaturesThanTheLimit_restCountedInOnePolicyResult() {
    List<DkimOutcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      outcomes.add(
          dkimOutcome(DkimResult.PASS, "example.com", "s" + i, "rsa-sha256", "ok", "sig" + i));
    }
    List<MethodResult> results = AuthResultClauses.dkim(outcomes, 2);
    assertThat(results).hasSize(3);
    assertThat(results.get(0).property("header.b")).contains("sig0");
    assertThat(results.get(2).toString())
        .isEqualTo("dkim=policy reason=\"2 more DKIM-Signature fields not evaluated (limit 2)\"");
  }
}
