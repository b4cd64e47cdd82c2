package org.authmill.dmarc;

/** Which tag of a record gave the Domain Owner Assessment Policy (RFC 9989 §4.10.1). */
public enum PolicyTag {
  /** {@code p}: the record is the Author Domain's own (or the record acts as {@code p=none}). */
  P("p"),
  /** {@code sp}: the record is an ancestor's and the Author Domain exists. */
  SP("sp"),
  /** {@code np}: the record is an ancestor's and the Author Domain does not exist (NXDOMAIN). */
  NP("np");

  private final String tag;

  PolicyTag(String tag) {
    this.tag = tag;
  }

  /** The tag name. */
  public String tag() {
    return tag;
  }

  @Override
  public String toString() {
    return tag;
  }
}
