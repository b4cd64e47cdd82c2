package org.authmill.dmarc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The DMARC evaluation of one Author Domain (RFC 9989 §5.3.2 to §5.3.6).
 *
 * @param authorDomain the Author Domain, in normal form
 * @param result the DMARC result for this domain
 * @param record the DMARC Policy Record that applies, if one was found
 * @param policyDomain where that record was found: the Author Domain, its Organizational Domain or
 *     its Public Suffix Domain (RFC 9989 §4.10.1)
 * @param organizationalDomain the Author Domain's Organizational Domain, when it was needed and
 *     could be determined
 * @param policyTag which tag gave the policy
 * @param policy the Domain Owner Assessment Policy that applies ({@code p}, {@code sp} or {@code
 *     np}), before {@code t=y} or {@code pct}
 * @param disposition what the domain owner asks to be done with this message: {@code none} unless
 *     the result is {@code fail}, then the policy, one level weaker under {@code t=y} (RFC 9989
 *     §4.7) or when not sampled by {@code pct} (RFC 7489 compatibility mode)
 * @param testing true when {@code t=y} weakened the policy
 * @param sampledOut true when the RFC 7489 {@code pct} sampling weakened the policy
 * @param alignments the alignment check of every SPF and DKIM outcome
 * @param reason why, in words an operator can act on
 */
public record DomainEvaluation(
    String authorDomain,
    DmarcResult result,
    Optional<DmarcRecord> record,
    Optional<String> policyDomain,
    Optional<String> organizationalDomain,
    Optional<PolicyTag> policyTag,
    Optional<DmarcPolicy> policy,
    DmarcPolicy disposition,
    boolean testing,
    boolean sampledOut,
    List<AlignmentCheck> alignments,
    String reason) {
  public DomainEvaluation {
    Objects.requireNonNull(authorDomain, "authorDomain");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(organizationalDomain, "organizationalDomain");
    Objects.requireNonNull(policyTag, "policyTag");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(disposition, "disposition");
    alignments = List.copyOf(alignments);
    Objects.requireNonNull(reason, "reason");
    if (result != DmarcResult.FAIL && disposition != DmarcPolicy.NONE) {
      throw new IllegalArgumentException("only a fail result has a disposition other than none");
    }
  }

  /** A JSON-friendly view: keys as in Authentication-Results (RFC 8601), values strings. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("result", result.keyword());
    json.put("domain", authorDomain);
    json.put("policy", policy.map(DmarcPolicy::keyword).orElse(null));
    json.put("disposition", disposition.keyword());
    json.put("policy_tag", policyTag.map(PolicyTag::tag).orElse(null));
    json.put("policy_domain", policyDomain.orElse(null));
    json.put("organizational_domain", organizationalDomain.orElse(null));
    json.put("record", record.map(DmarcRecord::text).orElse(null));
    json.put("testing", testing);
    if (sampledOut) {
      json.put("pct_sampled_out", true);
    }
    json.put(
        "alignment",
        alignments.stream()
            .map(
                a -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("method", a.mechanism().method());
                  m.put("domain", a.domain());
                  a.selector().ifPresent(s -> m.put("selector", s));
                  m.put("result", a.result());
                  m.put("mode", a.mode().toString());
                  m.put("alignment", a.alignment().toString());
                  m.put("reason", a.reason());
                  return m;
                })
            .toList());
    json.put("reason", reason);
    return json;
  }
}
