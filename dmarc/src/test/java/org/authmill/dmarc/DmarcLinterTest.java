package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.List;
import org.authmill.dns.ZoneResolver;
import org.authmill.testkit.TestPaths;
import org.junit.jupiter.api.Test;

class DmarcLinterTest {
  private static LintReport lint(String domain) throws IOException {
    return DmarcLinter.using(ZoneResolver.fromFile(TestPaths.testdata("dmarc/lint.zone")))
        .lint(domain)
        .toCompletableFuture()
        .join();
  }

  private static List<String> messages(LintReport report, LintFinding.Severity severity) {
    return report.findings().stream()
        .filter(f -> f.severity() == severity)
        .map(LintFinding::message)
        .toList();
  }

  @Test
  void lint_externalDestinations_authorizedOrNot() throws IOException {
    LintReport r = lint("good.example");
    assertThat(r.policy()).contains(DmarcPolicy.REJECT);
    assertThat(r.policyDomain()).contains("good.example");
    assertThat(messages(r, LintFinding.Severity.OK))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("mailto:dmarc@good.example")
                    .contains("no authorization needed"))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("reports.example.net authorizes")
                    .contains("good.example._report._dmarc.reports.example.net"));
    assertThat(messages(r, LintFinding.Severity.ERROR))
        .singleElement()
        .satisfies(
            m ->
                assertThat(m)
                    .contains("ruf mailto:fail@thirdparty.example")
                    .contains("good.example._report._dmarc.thirdparty.example. TXT \"v=DMARC1\""));
    assertThat(r.hasErrors()).isTrue();
    assertThat(r.dnsQueries()).contains("good.example._report._dmarc.thirdparty.example/TXT");
  }

  @Test
  void lint_wildcardAuthorization_accepted() throws IOException {
    LintReport r = lint("wildcard.example");
    assertThat(messages(r, LintFinding.Severity.OK))
        .anySatisfy(m -> assertThat(m).contains("wild.example authorizes"));
    assertThat(r.hasErrors()).isFalse();
  }

  @Test
  void lint_cleanRecord_noErrorsNoWarnings() throws IOException {
    LintReport r = lint("clean.example");
    assertThat(r.hasErrors()).isFalse();
    assertThat(messages(r, LintFinding.Severity.WARNING)).isEmpty();
    assertThat(r.organizationalDomain()).contains("clean.example");
  }

  @Test
  void lint_brokenRecord_errorsWarningsAndAdvice() throws IOException {
    LintReport r = lint("broken.example");
    assertThat(messages(r, LintFinding.Severity.ERROR))
        .anySatisfy(m -> assertThat(m).contains("p=rejct"))
        .anySatisfy(m -> assertThat(m).contains("treat the record as p=none"));
    assertThat(messages(r, LintFinding.Severity.WARNING))
        .anySatisfy(m -> assertThat(m).contains("pct=50").contains("t=y"))
        .anySatisfy(m -> assertThat(m).contains("unknown tag 'rue'"));
    assertThat(r.policy()).contains(DmarcPolicy.NONE);
  }

  @Test
  void lint_versionNotExact_explained() throws IOException {
    LintReport r = lint("typo.example");
    assertThat(messages(r, LintFinding.Severity.ERROR))
        .anySatisfy(m -> assertThat(m).contains("does not start with v=DMARC1"))
        .anySatisfy(m -> assertThat(m).contains("no DMARC record").contains("p=none"));
    assertThat(r.record()).isEmpty();
  }

  @Test
  void lint_twoRecords_error() throws IOException {
    assertThat(messages(lint("two.example"), LintFinding.Severity.ERROR))
        .anySatisfy(m -> assertThat(m).contains("2 DMARC records").contains("exactly one"));
  }

  @Test
  void lint_recordBelowOrganizationalDomain_sayWhereSubdomainsLook() throws IOException {
    LintReport r = lint("dept.org.example");
    assertThat(r.organizationalDomain()).contains("org.example");
    assertThat(messages(r, LintFinding.Severity.WARNING))
        .anySatisfy(m -> assertThat(m).contains("sp and np tags have no effect").contains("psd=n"))
        .anySatisfy(m -> assertThat(m).contains("no rua"));
  }

  @Test
  void lint_subdomainWithoutRecord_inheritsFromTreeWalk() throws IOException {
    LintReport r = lint("sub.good.example");
    assertThat(r.policyDomain()).contains("good.example");
    assertThat(r.policyTag()).contains(PolicyTag.P);
    assertThat(r.policy()).contains(DmarcPolicy.REJECT);
    assertThat(messages(r, LintFinding.Severity.INFO))
        .anySatisfy(m -> assertThat(m).contains("gets the policy of _dmarc.good.example"));
    LintReport ghost = lint("ghost.dept.org.example");
    assertThat(ghost.policyDomain()).contains("org.example");
  }

  @Test
  void lint_noRecord_suggestsOne() throws IOException {
    LintReport r = lint("nothing.example");
    assertThat(r.record()).isEmpty();
    assertThat(messages(r, LintFinding.Severity.ERROR))
        .singleElement()
        .satisfies(m -> assertThat(m).contains("_dmarc.nothing.example. TXT \"v=DMARC1; p=none"));
  }

  @Test
  void lint_dnsFailure_temporary() throws IOException {
    LintReport r = lint("loop.example");
    assertThat(r.temporaryFailure()).isTrue();
    assertThat(r.toJson()).containsEntry("temporary_failure", true);
  }

  @Test
  void lint_notADomain_rejected() {
    assertThatThrownBy(() -> lint("not a domain")).isInstanceOf(IllegalArgumentException.class);
  }
}
