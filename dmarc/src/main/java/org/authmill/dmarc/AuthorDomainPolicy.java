package org.authmill.dmarc;

/**
 * What to do with a message whose From: fields do not name exactly one Author Domain, a choice RFC
 * 9989 leaves to the receiver (§5.3.1, §11.5).
 */
public enum AuthorDomainPolicy {
  /**
   * The default. Evaluate DMARC for every distinct Author Domain (up to a configured number) and
   * take the worst result: any fail makes the message fail, with the strictest policy among the
   * failing domains (the approach of RFC 7489 §6.6.1 that RFC 9989 §11.5 recommends when a receiver
   * evaluates such messages). A message cannot escape the policy of a domain it displays by adding
   * another domain, a second From: field, or malformed syntax. Since identifier alignment cannot
   * occur with a repeated or malformed From: field (RFC 9989 §4.4), such a message never passes:
   * unless one of its domains fails (or a DNS failure leaves it open), its result is {@code
   * permerror}, which a strict receiver can reject. A message with no usable domain, or with more
   * domains than the limit, also gets {@code permerror}. One well-formed From: field listing
   * several mailboxes passes only if every domain passes.
   */
  EVALUATE_EACH,

  /**
   * RFC 9989 §5.3.1 to the letter: unless exactly one well-formed From: field names exactly one
   * domain, DMARC validation is not possible and the result is {@code permerror}, which a strict
   * receiver can reject (§11.5 allows a negative disposition for such messages).
   */
  SINGLE_DOMAIN_ONLY
}
