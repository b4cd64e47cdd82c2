package org.authmill.dmarc;

/**
 * Which DMARC specification the evaluator follows.
 *
 * <p>{@link #RFC9989} is the default. {@link #RFC7489} is a compatibility mode for receivers that
 * must behave as OpenDMARC and the other RFC 7489 implementations do.
 */
public enum DmarcMode {
  /**
   * RFC 9989 (DMARCbis): policy discovery and the Organizational Domain by the DNS tree walk of
   * §4.10; the {@code np}, {@code psd} and {@code t} tags apply; {@code pct}, {@code rf} and {@code
   * ri} are parsed but ignored (Appendix A.6).
   */
  RFC9989,
  /**
   * RFC 7489: the Organizational Domain from the Public Suffix List (§3.2), policy from the Author
   * Domain or else its Organizational Domain (§6.6.3), {@code pct} sampling applied (§6.6.4);
   * {@code np}, {@code psd} and {@code t}, unknown to RFC 7489, are ignored.
   */
  RFC7489
}
