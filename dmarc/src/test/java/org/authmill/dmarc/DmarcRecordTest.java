package org.authmill.dmarc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.authmill.dns.ParseResult;
import org.junit.jupiter.api.Test;

class DmarcRecordTest {
  private static DmarcRecord parse(String text) {
    ParseResult<DmarcRecord> result = DmarcRecord.parse(text);
    assertThat(result).as(text).isInstanceOf(ParseResult.Parsed.class);
    return result.value().orElseThrow();
  }

  private static String invalid(String text) {
    ParseResult<DmarcRecord> result = DmarcRecord.parse(text);
    assertThat(result).as(text).isInstanceOf(ParseResult.Invalid.class);
    return ((ParseResult.Invalid<DmarcRecord>) result).reason();
  }

  @Test
  void parse_minimal_hasRfcDefaults() {
    DmarcRecord r = parse("v=DMARC1; p=none");
    assertThat(r.policy()).contains(DmarcPolicy.NONE);
    assertThat(r.subdomainPolicy()).isEmpty();
    assertThat(r.nonExistentPolicy()).isEmpty();
    assertThat(r.psd()).isEqualTo(PsdFlag.UNKNOWN);
    assertThat(r.testing()).isFalse();
    assertThat(r.dkimAlignment()).isEqualTo(AlignmentMode.RELAXED);
    assertThat(r.spfAlignment()).isEqualTo(AlignmentMode.RELAXED);
    assertThat(r.failureOptions()).containsExactly(FailureOption.ALL_FAIL);
    assertThat(r.aggregateReportUris()).isEmpty();
    assertThat(r.percent()).isEmpty();
    assertThat(r.problems()).isEmpty();
    assertThat(r.unusablePolicyReason()).isEmpty();
  }

  @Test
  void parse_everyRfc9989Tag_read() {
    DmarcRecord r =
        parse(
            "v=DMARC1; p=reject; sp=quarantine; np=none; psd=n; t=y; adkim=s; aspf=s;"
                + " rua=mailto:agg@example.com, mailto:agg@example.net!10m;"
                + " ruf=mailto:fail@example.com; fo=1:d:s");
    assertThat(r.policy()).contains(DmarcPolicy.REJECT);
    assertThat(r.subdomainPolicy()).contains(DmarcPolicy.QUARANTINE);
    assertThat(r.nonExistentPolicy()).contains(DmarcPolicy.NONE);
    assertThat(r.psd()).isEqualTo(PsdFlag.NO);
    assertThat(r.testing()).isTrue();
    assertThat(r.dkimAlignment()).isEqualTo(AlignmentMode.STRICT);
    assertThat(r.spfAlignment()).isEqualTo(AlignmentMode.STRICT);
    assertThat(r.aggregateReportUris())
        .extracting(ReportUri::toString)
        .containsExactly("mailto:agg@example.com", "mailto:agg@example.net!10m");
    assertThat(r.aggregateReportUris().get(1).sizeLimit()).contains("10m");
    assertThat(r.failureReportUris())
        .extracting(ReportUri::uri)
        .containsExactly("mailto:fail@example.com");
    assertThat(r.failureOptions())
        .containsExactlyInAnyOrder(FailureOption.ANY_FAIL, FailureOption.DKIM, FailureOption.SPF);
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void parse_rfc7489Tags_readButSeparate() {
    DmarcRecord r = parse("v=DMARC1; p=reject; pct=25; rf=afrf; ri=3600");
    assertThat(r.percent()).isEqualTo(OptionalInt.of(25));
    assertThat(r.reportFormats()).containsExactly("afrf");
    assertThat(r.reportInterval()).isEqualTo(OptionalLong.of(3600));
    assertThat(parse("v=DMARC1; p=none; pct=101").hasInvalid("pct")).isTrue();
    assertThat(parse("v=DMARC1; p=none; ri=99999999999").hasInvalid("ri")).isTrue();
  }

  @Test
  void parse_versionNotFirst_invalid() {
    assertThat(invalid("p=reject; v=DMARC1")).contains("v=DMARC1");
    invalid("v=DMARC2; p=none");
    invalid("v=dmarc1; p=none");
    invalid("v=DMARC1p=none");
    invalid(" v=DMARC1; p=none");
    invalid("");
    invalid("v=spf1 -all");
  }

  @Test
  void parse_versionSpacingAndCase_accepted() {
    assertThat(parse("V = DMARC1 ;p=reject").policy()).contains(DmarcPolicy.REJECT);
    assertThat(parse("v=DMARC1").policy()).isEmpty();
    assertThat(parse("v=DMARC1;").problems()).isEmpty();
    assertThat(DmarcRecord.isDmarcRecord("v=DMARC1\t; p=none")).isTrue();
  }

  @Test
  void parse_tagNamesAndKeywords_caseInsensitive() {
    DmarcRecord r = parse("v=DMARC1; P=Reject; SP=NONE; ADKIM=S; Psd=Y; T=Y");
    assertThat(r.policy()).contains(DmarcPolicy.REJECT);
    assertThat(r.subdomainPolicy()).contains(DmarcPolicy.NONE);
    assertThat(r.dkimAlignment()).isEqualTo(AlignmentMode.STRICT);
    assertThat(r.psd()).isEqualTo(PsdFlag.YES);
    assertThat(r.testing()).isTrue();
  }

  @Test
  void parse_invalidP_keptAsProblemAndUnusable() {
    DmarcRecord r = parse("v=DMARC1; p=bogus");
    assertThat(r.policy()).isEmpty();
    assertThat(r.hasInvalid("p")).isTrue();
    assertThat(r.unusablePolicyReason()).contains("the p tag is not valid");
    assertThat(r.problems())
        .extracting(RecordProblem::message)
        .anySatisfy(m -> assertThat(m).contains("p=bogus"));
  }

  @Test
  void parse_missingP_unusableEvenWithRua() {
    DmarcRecord r = parse("v=DMARC1; rua=mailto:d@example.com");
    assertThat(r.unusablePolicyReason()).contains("there is no p tag");
    assertThat(r.aggregateReportUris()).hasSize(1);
  }

  @Test
  void parse_invalidSpOrNp_unusable() {
    assertThat(parse("v=DMARC1; p=reject; sp=never").unusablePolicyReason())
        .contains("the sp tag is not valid");
    assertThat(parse("v=DMARC1; p=reject; np=").unusablePolicyReason())
        .contains("the np tag is not valid");
  }

  @Test
  void parse_invalidOptionalTags_fallBackToDefaults() {
    DmarcRecord r = parse("v=DMARC1; p=none; adkim=x; aspf=; psd=maybe; t=1; fo=0:1");
    assertThat(r.dkimAlignment()).isEqualTo(AlignmentMode.RELAXED);
    assertThat(r.spfAlignment()).isEqualTo(AlignmentMode.RELAXED);
    assertThat(r.psd()).isEqualTo(PsdFlag.UNKNOWN);
    assertThat(r.testing()).isFalse();
    assertThat(r.failureOptions()).containsExactly(FailureOption.ALL_FAIL);
    assertThat(r.problems())
        .extracting(RecordProblem::tag)
        .containsExactlyInAnyOrder("adkim", "aspf", "psd", "t", "fo");
    assertThat(r.unusablePolicyReason()).isEmpty();
  }

  @Test
  void parse_failureOptions_everyAbnfForm() {
    assertThat(parse("v=DMARC1; p=none; fo=d").failureOptions())
        .containsExactly(FailureOption.DKIM);
    assertThat(parse("v=DMARC1; p=none; fo=d:1:s").failureOptions())
        .isEqualTo(Set.of(FailureOption.DKIM, FailureOption.ANY_FAIL, FailureOption.SPF));
    assertThat(parse("v=DMARC1; p=none; fo=d:d").hasInvalid("fo")).isTrue();
    assertThat(parse("v=DMARC1; p=none; fo=2").hasInvalid("fo")).isTrue();
  }

  @Test
  void parse_reportUris_invalidOnesDroppedValidKept() {
    DmarcRecord r =
        parse(
            "v=DMARC1; p=none; rua=not a uri,mailto:ok@example.com , mailto:, https://r.example/x");
    assertThat(r.aggregateReportUris())
        .extracting(ReportUri::uri)
        .containsExactly("mailto:ok@example.com", "https://r.example/x");
    assertThat(r.problems()).hasSize(2);
  }

  @Test
  void parse_duplicateTag_firstWins() {
    DmarcRecord r = parse("v=DMARC1; p=none; p=reject");
    assertThat(r.policy()).contains(DmarcPolicy.NONE);
    assertThat(r.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains("more than once"));
  }

  @Test
  void parse_unknownTags_ignoredButKept() {
    DmarcRecord r = parse("v=DMARC1; p=none; future=yes; x=1");
    assertThat(r.unknownTags()).containsEntry("future", "yes").containsEntry("x", "1");
    assertThat(r.problems()).isEmpty();
  }

  @Test
  void parse_malformedParts_ignoredWithProblem() {
    DmarcRecord r = parse("v=DMARC1;; p=quarantine; junk; 1x=2; p2=y");
    assertThat(r.policy()).contains(DmarcPolicy.QUARANTINE);
    assertThat(r.problems()).hasSize(4);
  }

  @Test
  void parse_nonPrintableValue_ignored() {
    DmarcRecord r = parse("v=DMARC1; p=reject; rua=mailto:a@ex\u00e4mple.com");
    assertThat(r.aggregateReportUris()).isEmpty();
    assertThat(r.hasInvalid("rua")).isTrue();
  }

  @Test
  void parse_tooLong_invalid() {
    assertThat(invalid("v=DMARC1; p=none; x=" + "a".repeat(DmarcRecord.MAX_RECORD_LENGTH)))
        .contains("longer than");
  }

  @Test
  void effectivePolicies_fallBackAsRfc9989Says() {
    DmarcRecord onlyP = parse("v=DMARC1; p=reject");
    assertThat(onlyP.effectiveSubdomainPolicy()).contains(DmarcPolicy.REJECT);
    assertThat(onlyP.effectiveNonExistentPolicy()).contains(DmarcPolicy.REJECT);
    DmarcRecord withSp = parse("v=DMARC1; p=reject; sp=none");
    assertThat(withSp.effectiveNonExistentPolicy()).contains(DmarcPolicy.NONE);
    DmarcRecord withNp = parse("v=DMARC1; p=none; np=quarantine");
    assertThat(withNp.effectiveSubdomainPolicy()).contains(DmarcPolicy.NONE);
    assertThat(withNp.effectiveNonExistentPolicy()).contains(DmarcPolicy.QUARANTINE);
    assertThat(parse("v=DMARC1; rua=mailto:a@b.example").effectiveSubdomainPolicy())
        .isEqualTo(Optional.empty());
  }

  @Test
  void constructor_listsCopied() {
    DmarcRecord r = parse("v=DMARC1; p=none; rua=mailto:a@example.com");
    assertThat(r.aggregateReportUris()).isUnmodifiable();
    assertThat(r.problems()).isEqualTo(List.of());
  }
}
