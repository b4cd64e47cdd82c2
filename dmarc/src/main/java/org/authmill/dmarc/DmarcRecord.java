package org.authmill.dmarc;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import org.authmill.dns.ParseResult;

/**
 * A parsed DMARC Policy Record (RFC 9989 §4.7 and §4.8), with the RFC 7489 tags {@code pct}, {@code
 * rf} and {@code ri} (RFC 7489 §6.3), which only the RFC 7489 compatibility mode applies.
 *
 * <p>Parsing follows RFC 9989 §4.8: a record must start with {@code v=DMARC1}; unknown tags are
 * ignored (kept in {@link #unknownTags()}); a tag with a syntax error is discarded in favour of its
 * default and noted in {@link #problems()}. Whether the record can give a policy at all is {@link
 * #unusablePolicyReason()} (RFC 9989 §4.10.1).
 *
 * @param text the record as published (TXT strings joined)
 * @param policy {@code p}, when present and valid
 * @param subdomainPolicy {@code sp}, when present and valid
 * @param nonExistentPolicy {@code np}, when present and valid
 * @param psd {@code psd}, default {@link PsdFlag#UNKNOWN}
 * @param testing {@code t=y}
 * @param dkimAlignment {@code adkim}, default relaxed
 * @param spfAlignment {@code aspf}, default relaxed
 * @param aggregateReportUris the valid URIs of {@code rua}
 * @param failureReportUris the valid URIs of {@code ruf}
 * @param failureOptions {@code fo}, default {@code 0}
 * @param percent the RFC 7489 {@code pct} tag (0 to 100), when present and valid
 * @param reportFormats the RFC 7489 {@code rf} tag's formats, empty when absent
 * @param reportInterval the RFC 7489 {@code ri} tag in seconds, when present and valid
 * @param unknownTags tags this version does not know, ignored (lower-case name to value)
 * @param problems the syntax errors that were ignored
 */
public record DmarcRecord(
    String text,
    Optional<DmarcPolicy> policy,
    Optional<DmarcPolicy> subdomainPolicy,
    Optional<DmarcPolicy> nonExistentPolicy,
    PsdFlag psd,
    boolean testing,
    AlignmentMode dkimAlignment,
    AlignmentMode spfAlignment,
    List<ReportUri> aggregateReportUris,
    List<ReportUri> failureReportUris,
    Set<FailureOption> failureOptions,
    OptionalInt percent,
    List<String> reportFormats,
    OptionalLong reportInterval,
    Map<String, String> unknownTags,
    List<RecordProblem> problems) {

  /**
   * The longest record text that is parsed: 65535, the most a TXT record's data can hold (RFC 1035
   * §3.2.1), since RFC 9989 sets no limit of its own. Longer text is refused as not a record.
   */
  public static final int MAX_RECORD_LENGTH = 65535;

  public DmarcRecord {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(subdomainPolicy, "subdomainPolicy");
    Objects.requireNonNull(nonExistentPolicy, "nonExistentPolicy");
    Objects.requireNonNull(psd, "psd");
    Objects.requireNonNull(dkimAlignment, "dkimAlignment");
    Objects.requireNonNull(spfAlignment, "spfAlignment");
    aggregateReportUris = List.copyOf(aggregateReportUris);
    failureReportUris = List.copyOf(failureReportUris);
    failureOptions =
        failureOptions.isEmpty()
            ? Set.of()
            : java.util.Collections.unmodifiableSet(EnumSet.copyOf(failureOptions));
    Objects.requireNonNull(percent, "percent");
    reportFormats = List.copyOf(reportFormats);
    Objects.requireNonNull(reportInterval, "reportInterval");
    unknownTags = Map.copyOf(unknownTags);
    problems = List.copyOf(problems);
    if (percent.isPresent() && (percent.getAsInt() < 0 || percent.getAsInt() > 100)) {
      throw new IllegalArgumentException("pct must be 0 to 100: " + percent.getAsInt());
    }
  }

  /**
   * Parses a TXT record's text. Invalid when the text does not start with {@code v=DMARC1} (RFC
   * 9989 §4.7: such a record MUST be ignored); every other syntax error is kept as a {@link
   * RecordProblem} and the tag takes its default.
   */
  public static ParseResult<DmarcRecord> parse(String text) {
    return DmarcRecordParser.parse(text);
  }

  /**
   * True when the text starts with the version tag {@code v=DMARC1}, the test RFC 9989 §4.10 steps
   * 2 and 6 apply to the TXT records found at a {@code _dmarc} name.
   */
  public static boolean isDmarcRecord(String text) {
    return DmarcRecordParser.versionEnd(text) >= 0;
  }

  /** True when a syntax error was found in the named tag (lower case). */
  public boolean hasInvalid(String tag) {
    return problems.stream().anyMatch(p -> p.tag().equals(tag));
  }

  /**
   * Why this record cannot supply a Domain Owner Assessment Policy, if it cannot: RFC 9989 §4.10.1
   * says a record without a valid {@code p} tag, or with an invalid {@code sp} or {@code np} tag,
   * acts as {@code p=none} when its {@code rua} tag holds a valid URI, and otherwise causes no
   * DMARC processing at all.
   */
  public Optional<String> unusablePolicyReason() {
    return unusablePolicyReason(DmarcMode.RFC9989);
  }

  /**
   * As {@link #unusablePolicyReason()}, for a mode: RFC 7489 §6.6.3 step 6 names only {@code p} and
   * {@code sp}, since {@code np} is not an RFC 7489 tag.
   */
  Optional<String> unusablePolicyReason(DmarcMode mode) {
    if (policy.isEmpty()) {
      return Optional.of(hasInvalid("p") ? "the p tag is not valid" : "there is no p tag");
    }
    if (hasInvalid("sp")) {
      return Optional.of("the sp tag is not valid");
    }
    if (mode == DmarcMode.RFC9989 && hasInvalid("np")) {
      return Optional.of("the np tag is not valid");
    }
    return Optional.empty();
  }

  /**
   * The policy for subdomains that exist: {@code sp}, or else {@code p} (RFC 9989 §4.7). Empty when
   * there is no valid {@code p}.
   */
  public Optional<DmarcPolicy> effectiveSubdomainPolicy() {
    return subdomainPolicy.isPresent() ? subdomainPolicy : policy;
  }

  /**
   * The policy for subdomains that do not exist: {@code np}, else {@code sp}, else {@code p} (RFC
   * 9989 §4.7).
   */
  public Optional<DmarcPolicy> effectiveNonExistentPolicy() {
    return nonExistentPolicy.isPresent() ? nonExistentPolicy : effectiveSubdomainPolicy();
  }

  @Override
  public String toString() {
    return text;
  }
}
