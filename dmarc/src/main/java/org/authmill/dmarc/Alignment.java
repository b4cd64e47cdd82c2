package org.authmill.dmarc;

/** How an authenticated identifier relates to the Author Domain (RFC 9989 §3.2.10, §4.4). */
public enum Alignment {
  /** Identical domains (RFC 9989 §3.2.10.2). */
  STRICT,
  /** Same Organizational Domain, allowed by relaxed mode (RFC 9989 §3.2.10.1). */
  RELAXED,
  /** Not aligned under the record's mode. */
  UNALIGNED,
  /** Could not be determined: a DNS query of the tree walk failed temporarily. */
  UNKNOWN,
  /** Not checked: the mechanism's result cannot authenticate (fail, none, ...). */
  NOT_CHECKED;

  /** True for {@link #STRICT} and {@link #RELAXED}. */
  public boolean aligned() {
    return this == STRICT || this == RELAXED;
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }
}
