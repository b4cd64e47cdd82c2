package org.authmill.spf;

import static org.assertj.core.api.Assertions.assertThat;

import org.authmill.dns.ZoneResolver;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;

class SpfLinterTest {
  private static SpfLintReport lint(String domain) throws Exception {
    return SpfLinter.using(ZoneResolver.fromFile(TestPaths.testdata("spf/edge-cases.zone")))
        .lint(domain)
        .toCompletableFuture()
        .join();
  }

  @Test
  void lint_countsTermsThroughIncludes() throws Exception {
    SpfLintReport report = lint("dots.spf.test");
    assertThat(report.dnsTerms()).isEqualTo(2);
    assertThat(report.hasErrors()).isFalse();
  }

  @Test
  void lint_overTenTermsIsAnError() throws Exception {
    SpfLintReport report = lint("amp.spf.test");
    assertThat(report.dnsTerms()).isEqualTo(11);
    assertThat(report.hasErrors()).isTrue();
  }

  @Test
  void lint_mxOverTenAndSyntaxAndMultiple() throws Exception {
    assertThat(lint("mx11.spf.test").findings().toString()).contains("11 MX records");
    assertThat(lint("syntax.spf.test").findings().toString()).contains("a:bad_top.spf.123");
    assertThat(lint("multi.spf.test").findings().toString()).contains("2 SPF records");
  }

  @Test
  void lint_redirectBesideAllAndPlusAll() throws Exception {
    assertThat(lint("rall.spf.test").findings().toString()).contains("ignored");
    assertThat(lint("incloop1.spf.test").findings().toString()).contains("loop");
  }

  @Test
  void lint_sameDeadEndReachedTwiceIsNoLoop() throws Exception {
    String findings = lint("diamond.spf.test").findings().toString();
    assertThat(findings).contains("norecord.spf.test").doesNotContain("loop");
  }
}
