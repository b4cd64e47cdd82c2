package org.authmill.report;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The DMARC Policy Record that applied, as an aggregate report carries it in {@code
 * policy_published} (RFC 9990 §3.1.1.5), plus the {@code psd} tag, which the store keeps but RFC
 * 9990's schema has no element for.
 *
 * @param domain the DMARC Policy Domain (where the record was found), lower case
 * @param p the {@code p} tag (none, quarantine, reject)
 * @param sp the {@code sp} tag, when published
 * @param np the {@code np} tag, when published
 * @param adkim {@code r} or {@code s}
 * @param aspf {@code r} or {@code s}
 * @param discoveryMethod {@code treewalk} (RFC 9989) or {@code psl} (RFC 7489)
 * @param fo the {@code fo} tag's value, such as {@code 0} or {@code 1:d}
 * @param testing {@code y} or {@code n}
 * @param psd {@code y}, {@code n} or {@code u}
 */
public record PolicyPublished(
    String domain,
    String p,
    Optional<String> sp,
    Optional<String> np,
    String adkim,
    String aspf,
    String discoveryMethod,
    String fo,
    String testing,
    String psd) {
  static final Set<String> POLICIES = Set.of("none", "quarantine", "reject");

  public PolicyPublished {
    domain = Fields.token(domain, "policy domain").toLowerCase(Locale.ROOT);
    if (domain.isEmpty()) {
      throw new IllegalArgumentException("empty policy domain");
    }
    p = Fields.keyword(p, POLICIES, "policy (p)");
    sp = Objects.requireNonNull(sp, "sp").map(v -> Fields.keyword(v, POLICIES, "policy (sp)"));
    np = Objects.requireNonNull(np, "np").map(v -> Fields.keyword(v, POLICIES, "policy (np)"));
    adkim = Fields.keyword(adkim, Set.of("r", "s"), "alignment mode (adkim)");
    aspf = Fields.keyword(aspf, Set.of("r", "s"), "alignment mode (aspf)");
    discoveryMethod =
        Fields.keyword(discoveryMethod, Set.of("treewalk", "psl"), "discovery method");
    fo = Fields.token(fo, "fo");
    testing = Fields.keyword(testing, Set.of("y", "n"), "testing (t)");
    psd = Fields.keyword(psd, Set.of("y", "n", "u"), "psd");
  }
}
