package org.authmill.feedback;

/**
 * The DMARC policy the reporter discovered ({@code policy_published}, RFC 9990 §3.1.1.3). Values
 * are as reported, trimmed and lower case; an absent value is the empty string.
 *
 * @param domain the domain the policy was found at
 * @param adkim DKIM alignment mode, {@code r} or {@code s}
 * @param aspf SPF alignment mode, {@code r} or {@code s}
 * @param p the policy: {@code none}, {@code quarantine} or {@code reject}
 * @param sp the subdomain policy
 * @param np the non-existent subdomain policy (RFC 9989)
 * @param pct the RFC 7489 percentage, or -1 when absent
 * @param fo the failure reporting options
 * @param testing the RFC 9989 {@code t} flag, {@code y} or {@code n}
 * @param discoveryMethod {@code psl} or {@code treewalk} (RFC 9990)
 */
public record PolicyPublished(
    String domain,
    String adkim,
    String aspf,
    String p,
    String sp,
    String np,
    int pct,
    String fo,
    String testing,
    String discoveryMethod) {}
