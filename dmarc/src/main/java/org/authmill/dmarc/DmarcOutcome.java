package org.authmill.dmarc;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The DMARC verdict for a message (RFC 9989 §5.3): the result, the policy that applies, the
 * disposition the domain owner asks for, and why.
 *
 * <p>When the message names several Author Domains and {@link AuthorDomainPolicy#EVALUATE_EACH}
 * applies, every domain is in {@link #evaluations()} and the top-level values are those of the
 * deciding one: a failing domain with the strictest disposition, else a temporary error, else a
 * permanent error, else a domain without a record; {@code pass} only when every domain passes.
 *
 * @param result the DMARC result
 * @param authorDomain the deciding Author Domain, when there is one
 * @param policy the Domain Owner Assessment Policy that applies to it ({@code p}, {@code sp} or
 *     {@code np}), before {@code t=y} or {@code pct}
 * @param disposition none unless the result is fail; then the policy after {@code t=y} (or {@code
 *     pct} in RFC 7489 compatibility mode)
 * @param reason why, in words an operator can act on
 * @param evaluations the evaluation of each Author Domain that was evaluated
 * @param authorDomains the Author Domains extracted from From:
 * @param dnsQueries the DNS queries made, as {@code name/TYPE}, in order
 */
public record DmarcOutcome(
    DmarcResult result,
    Optional<String> authorDomain,
    Optional<DmarcPolicy> policy,
    DmarcPolicy disposition,
    String reason,
    List<DomainEvaluation> evaluations,
    AuthorDomains authorDomains,
    List<String> dnsQueries) {
  public DmarcOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(authorDomain, "authorDomain");
    Objects.requireNonNull(policy, "policy");
    Objects.requireNonNull(disposition, "disposition");
    Objects.requireNonNull(reason, "reason");
    evaluations = List.copyOf(evaluations);
    Objects.requireNonNull(authorDomains, "authorDomains");
    dnsQueries = List.copyOf(dnsQueries);
    if (result != DmarcResult.FAIL && disposition != DmarcPolicy.NONE) {
      throw new IllegalArgumentException("only a fail result has a disposition other than none");
    }
  }

  /** The evaluation of the deciding Author Domain, if any domain was evaluated. */
  public Optional<DomainEvaluation> deciding() {
    return authorDomain.flatMap(
        d -> evaluations.stream().filter(e -> e.authorDomain().equals(d)).findFirst());
  }

  /**
   * A JSON-friendly view for {@code authmill check --json} and logs: {@code result}, {@code
   * policy}, {@code disposition} (none, quarantine or reject) and {@code domain} (the Author
   * Domain) first, then {@code reason}, the details of the deciding domain, and every domain's
   * evaluation under {@code evaluations}. Absent values are null.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("result", result.keyword());
    json.put("policy", policy.map(DmarcPolicy::keyword).orElse(null));
    json.put("disposition", disposition.keyword());
    json.put("domain", authorDomain.orElse(null));
    json.put("reason", reason);
    Optional<DomainEvaluation> deciding = deciding();
    json.put(
        "policy_tag",
        deciding.flatMap(DomainEvaluation::policyTag).map(PolicyTag::tag).orElse(null));
    json.put("policy_domain", deciding.flatMap(DomainEvaluation::policyDomain).orElse(null));
    json.put(
        "organizational_domain",
        deciding.flatMap(DomainEvaluation::organizationalDomain).orElse(null));
    json.put(
        "record", deciding.flatMap(DomainEvaluation::record).map(DmarcRecord::text).orElse(null));
    json.put("testing", deciding.map(DomainEvaluation::testing).orElse(false));
    json.put("author_domains", authorDomains.domains());
    if (!authorDomains.problems().isEmpty()) {
      json.put("from_problems", authorDomains.problems());
    }
    json.put("evaluations", evaluations.stream().map(DomainEvaluation::toJson).toList());
    json.put("dns_queries", dnsQueries);
    return json;
  }
}
