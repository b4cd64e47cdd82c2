package org.authmill.auth.results;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.authmill.dmarc.AuthorDomains;
import org.authmill.dmarc.DkimCheck;
import org.authmill.dmarc.DmarcCases;
import org.authmill.dmarc.DmarcEvaluator;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.dns.ZoneResolver;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class AuthResultClausesTest {
  static final ZoneResolver ZONE = ZoneResolver.fromText(DmarcCases.zoneText());

  /** The Authentication-Results field authmill writes for a project case. */
  static AuthenticationResults fieldFor(DmarcCases.Case c) {
    DmarcOutcome outcome = DmarcCases.run(c, ZONE);
    List<MethodResult> results = new ArrayList<>();
    c.spf()
        .ifPresent(
            s -> results.add(AuthResultClauses.spfMailFrom(s.result(), "bounce@" + s.domain())));
    List<String> signatures = new ArrayList<>();
    for (int i = 0; i < c.dkim().size(); i++) {
      signatures.add("AbCdEfGh/+" + i + "=tail" + i);
    }
    List<String> prefixes = SignaturePrefixes.of(signatures);
    for (int i = 0; i < c.dkim().size(); i++) {
      DkimCheck d = c.dkim().get(i);
      results.add(
          AuthResultClauses.dkim(
              d.result(),
              d.domain(),
              Optional.of(d.selector()),
              Optional.of("rsa-sha256"),
              Optional.of(prefixes.get(i))));
    }
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
    assertThat(AuthResultClauses.spfMailFrom("pass", "user@example.com").toString())
        .isEqualTo("spf=pass smtp.mailfrom=user@example.com");
    assertThat(AuthResultClauses.spfHelo("none", "mail.example.com").toString())
        .isEqualTo("spf=none smtp.helo=mail.example.com");
    assertThat(
            AuthResultClauses.dkim(
                    "pass",
                    "example.com",
                    Optional.of("s1"),
                    Optional.of("ed25519-sha256"),
                    Optional.of("ab/cdEFG"))
                .toString())
        .isEqualTo(
            "dkim=pass header.d=example.com header.s=s1 header.a=ed25519-sha256 header.b=\"ab/cdEFG\"");
    assertThat(
            AuthResultClauses.dkim(
                    "none", "example.com", Optional.empty(), Optional.empty(), Optional.empty())
                .toString())
        .isEqualTo("dkim=none header.d=example.com");
  }
}
