package org.authmill.dmarc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link DmarcLinter} found for a domain: the record published at it, where the policy that
 * applies to mail from it comes from (RFC 9989 §4.10.1), its Organizational Domain (§4.10.2), and
 * the findings.
 *
 * @param domain the domain linted, in normal form
 * @param published every TXT record at {@code _dmarc.<domain>}
 * @param record the DMARC record that applies to mail from the domain, if any
 * @param policyDomain where that record was found
 * @param organizationalDomain the domain's Organizational Domain, when it could be determined
 * @param policyTag which tag of the record applies to the domain itself
 * @param policy the policy that applies to mail from the domain
 * @param findings errors, warnings, notes and passed checks, in the order found
 * @param temporaryFailure true when a DNS failure kept the lint from completing
 * @param dnsQueries the queries made, as {@code name/TYPE}
 */
public record LintReport(
    String domain,
    List<String> published,
    Optional<DmarcRecord> record,
    Optional<String> policyDomain,
    Optional<String> organizationalDomain,
    Optional<PolicyTag> policyTag,
    Optional<DmarcPolicy> policy,
    List<LintFinding> findings,
    boolean temporaryFailure,
    List<String> dnsQueries) {
  public LintReport {
    Objects.requireNonNull(domain, "domain");
    published = List.copyOf(published);
    Objects.requireNonNull(record, "record");
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(organizationalDomain, "organizationalDomain");
    Objects.requireNonNull(policyTag, "policyTag");
    Objects.requireNonNull(policy, "policy");
    findings = List.copyOf(findings);
    dnsQueries = List.copyOf(dnsQueries);
  }

  /** True when any finding is an error. */
  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == LintFinding.Severity.ERROR);
  }

  /** A JSON-friendly view. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("domain", domain);
    json.put("published", published);
    json.put("record", record.map(DmarcRecord::text).orElse(null));
    json.put("policy_domain", policyDomain.orElse(null));
    json.put("organizational_domain", organizationalDomain.orElse(null));
    json.put("policy_tag", policyTag.map(PolicyTag::tag).orElse(null));
    json.put("policy", policy.map(DmarcPolicy::keyword).orElse(null));
    json.put(
        "findings",
        findings.stream()
            .map(
                f -> {
                  Map<String, Object> m = new LinkedHashMap<>();
                  m.put("severity", f.severity().toString());
                  m.put("message", f.message());
                  return m;
                })
            .toList());
    json.put("temporary_failure", temporaryFailure);
    json.put("dns_queries", dnsQueries);
    return json;
  }
}
