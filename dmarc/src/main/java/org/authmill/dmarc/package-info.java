/**
 * DMARC (RFC 9989, with an RFC 7489 compatibility mode): record parsing, policy discovery and the
 * Organizational Domain by the DNS Tree Walk, identifier alignment, the result, the policy that
 * applies and the disposition.
 *
 * <p>The pieces, in the order a receiver uses them (RFC 9989 §5.3):
 *
 * <ol>
 *   <li>{@link org.authmill.dmarc.AuthorDomainExtractor} reads the From: fields (§5.3.1) into
 *       {@link org.authmill.dmarc.AuthorDomains};
 *   <li>SPF and DKIM run elsewhere; their outcomes come in as plain {@link
 *       org.authmill.dmarc.SpfCheck} and {@link org.authmill.dmarc.DkimCheck} values (§5.3.3);
 *   <li>{@link org.authmill.dmarc.DmarcEvaluator} discovers the policy (§4.10.1), checks alignment
 *       (§4.10.2, §5.3.4) and gives a {@link org.authmill.dmarc.DmarcOutcome} (§5.3.5, §5.3.6);
 *   <li>the {@code auth} module's {@code AuthResultClauses} and {@code AuthenticationResults} write
 *       the Authentication-Results field (RFC 8601); {@code dmarc} does not depend on it.
 * </ol>
 *
 * <p>For {@code authmill check} and the milter, the DMARC side is:
 *
 * <pre>{@code
 * AuthorDomains from = AuthorDomainExtractor.withDefaults().fromMessage(message);
 * DmarcOutcome dmarc = DmarcEvaluator.builder(resolver).build()
 *     .evaluate(from, Optional.of(new SpfCheck(mailFromDomainOrHelo, spfResult)), dkimChecks)
 *     .toCompletableFuture().join();
 * Map<String, Object> json = dmarc.toJson(); // result, policy, disposition, domain, ...
 * }</pre>
 *
 * <p>The Authentication-Results field is written in {@code auth} ({@code
 * AuthResultClauses.dmarc(dmarc)}, next to the spf and dkim clauses made from their outcomes).
 *
 * <p>The Organizational Domain comes from the DNS Tree Walk ({@link
 * org.authmill.dmarc.TreeWalkOrganizationalDomain}); in RFC 7489 mode from the Public Suffix List
 * ({@link org.authmill.dmarc.PublicSuffixOrganizationalDomain}). The two differ: the list's
 * "registrable domain" is the public suffix plus one label and does not exist for a public suffix
 * itself, while the tree walk takes the record with the fewest labels on the way up (or stops at
 * {@code psd=n}, or one label below {@code psd=y}), so a domain that publishes no DMARC record
 * anywhere above it is its own Organizational Domain, and a record at a public suffix without
 * {@code psd=y} makes that suffix the Organizational Domain (RFC 9989 §11.8).
 */
package org.authmill.dmarc;
