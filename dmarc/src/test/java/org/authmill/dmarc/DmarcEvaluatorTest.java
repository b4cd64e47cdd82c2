package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.RecordType;
import org.authmill.dns.ZoneResolver;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class DmarcEvaluatorTest {
  private static final ZoneResolver ZONE = ZoneResolver.fromText(DmarcCases.zoneText());

  @TestFactory
  Stream<DynamicTest> evaluate_projectCases_matchExpectations() {
    return DmarcCases.tests(c -> DmarcCases.run(c, ZONE));
  }

  @Test
  void evaluate_projectCases_atLeastForty() {
    assertThat(DmarcCases.load()).hasSizeGreaterThanOrEqualTo(40);
  }

  private static DmarcOutcome evaluate(
      DmarcEvaluator evaluator, AuthorDomains authors, SpfCheck spf, DkimCheck... dkim) {
    return evaluator
        .evaluate(authors, Optional.ofNullable(spf), List.of(dkim))
        .toCompletableFuture()
        .join();
  }

  @Test
  void evaluate_authorDomainText_normalized() {
    DmarcOutcome o =
        DmarcEvaluator.builder(ZONE)
            .build()
            .evaluate(
                "Strict.Example.", Optional.of(new SpfCheck("strict.example", "pass")), List.of())
            .toCompletableFuture()
            .join();
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    assertThat(o.authorDomain()).contains("strict.example");
    assertThatThrownBy(
            () ->
                DmarcEvaluator.builder(ZONE).build().evaluate("a..b", Optional.empty(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toJson_firstKeysAreThoseOfCheck() {
    DmarcOutcome o =
        evaluate(DmarcEvaluator.builder(ZONE).build(), AuthorDomains.of("host.sp.example"), null);
    assertThat(o.toJson().keySet()).startsWith("result", "policy", "disposition", "domain");
    assertThat(o.toJson())
        .containsEntry("result", "fail")
        .containsEntry("policy", "quarantine")
        .containsEntry("disposition", "quarantine")
        .containsEntry("domain", "host.sp.example")
        .containsEntry("policy_tag", "sp");
  }

  @Test
  void evaluate_moreAuthorDomainsThanLimit_permerrorUnlessOneFails() {
    DmarcEvaluator evaluator = DmarcEvaluator.builder(ZONE).maxAuthorDomains(1).build();
    AuthorDomains two =
        AuthorDomainExtractor.withDefaults()
            .fromFieldValues(List.of("a@relaxed.example, b@evil.example"));
    DmarcOutcome passing = evaluate(evaluator, two, new SpfCheck("relaxed.example", "pass"));
    assertThat(passing.result()).isEqualTo(DmarcResult.PERMERROR);
    assertThat(passing.reason()).contains("incomplete");
    DmarcOutcome failing = evaluate(evaluator, two, null);
    assertThat(failing.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(failing.disposition()).isEqualTo(DmarcPolicy.REJECT);
  }

  @Test
  void evaluate_severalDomains_allPassIsPass_noneBeatsPass() {
    DmarcEvaluator evaluator = DmarcEvaluator.builder(ZONE).build();
    AuthorDomains both =
        AuthorDomainExtractor.withDefaults()
            .fromFieldValues(List.of("a@relaxed.example, b@strict.example"));
    DmarcOutcome o =
        evaluate(
            evaluator,
            both,
            new SpfCheck("relaxed.example", "pass"),
            new DkimCheck("strict.example", "s", "pass"));
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    assertThat(o.evaluations()).hasSize(2);
    AuthorDomains withNone =
        AuthorDomainExtractor.withDefaults()
            .fromFieldValues(List.of("a@relaxed.example, b@nodmarc.example"));
    assertThat(evaluate(evaluator, withNone, new SpfCheck("relaxed.example", "pass")).result())
        .isEqualTo(DmarcResult.NONE);
  }

  @Test
  void evaluate_dkimBeyondLimit_ignoredAndSaid() {
    DmarcEvaluator evaluator = DmarcEvaluator.builder(ZONE).maxDkimChecks(1).build();
    DmarcOutcome o =
        evaluate(
            evaluator,
            AuthorDomains.of("strict.example"),
            null,
            new DkimCheck("other.example", "s", "pass"),
            new DkimCheck("strict.example", "s", "pass"));
    assertThat(o.result()).isEqualTo(DmarcResult.FAIL);
    assertThat(o.reason()).contains("1 more DKIM results not checked");
  }

  @Test
  void evaluate_resolverThrows_temperrorNotException() {
    DnsResolver broken =
        new DnsResolver() {
          @Override
          public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
            return CompletableFuture.failedFuture(new IllegalStateException("boom"));
          }
        };
    DmarcOutcome o =
        evaluate(DmarcEvaluator.builder(broken).build(), AuthorDomains.of("a.example"), null);
    assertThat(o.result()).isEqualTo(DmarcResult.TEMPERROR);
    assertThat(o.reason()).contains("boom");
  }

  @Test
  void evaluate_queriesEachNameOnce() {
    List<String> asked = new ArrayList<>();
    DnsResolver counting =
        new DnsResolver() {
          @Override
          public <T> CompletionStage<DnsAnswer<T>> lookup(String name, RecordType<T> type) {
            asked.add(name);
            return ZONE.lookup(name, type);
          }
        };
    DmarcOutcome o =
        evaluate(
            DmarcEvaluator.builder(counting).build(),
            AuthorDomains.of("a.mail.inter.example"),
            new SpfCheck("b.mail.inter.example", "pass"),
            new DkimCheck("c.mail.inter.example", "s", "pass"),
            new DkimCheck("mail.inter.example", "s", "pass"));
    assertThat(o.result()).isEqualTo(DmarcResult.PASS);
    assertThat(asked).doesNotHaveDuplicates();
    assertThat(asked).hasSize(o.dnsQueries().size());
  }

  @Test
  void evaluate_singleDomainOnly_wellFormedEvaluated() {
    DmarcEvaluator evaluator =
        DmarcEvaluator.builder(ZONE)
            .authorDomainPolicy(AuthorDomainPolicy.SINGLE_DOMAIN_ONLY)
            .build();
    assertThat(evaluate(evaluator, AuthorDomains.of("strict.example"), null).result())
        .isEqualTo(DmarcResult.FAIL);
  }

  @Test
  void builder_badLimits_rejected() {
    assertThatThrownBy(() -> DmarcEvaluator.builder(ZONE).maxAuthorDomains(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DmarcEvaluator.builder(ZONE).treeWalkQueryLimit(200))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
