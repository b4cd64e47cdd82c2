package org.authmill.dmarc;

/** The {@code psd} tag (RFC 9989 §4.7): is the record published for a Public Suffix Domain? */
public enum PsdFlag {
  /** {@code psd=y}: the domain is a Public Suffix Domain; the tree walk stops here. */
  YES("y"),
  /** {@code psd=n}: the domain is an Organizational Domain; the tree walk stops here. */
  NO("n"),
  /** {@code psd=u}, the default: undetermined; the tree walk goes on (RFC 9989 §4.10). */
  UNKNOWN("u");

  private final String tagValue;

  PsdFlag(String tagValue) {
    this.tagValue = tagValue;
  }

  /** The tag value: {@code y}, {@code n} or {@code u}. */
  public String tagValue() {
    return tagValue;
  }

  /** True for {@code y} and {@code n}, the values that end a DNS tree walk (RFC 9989 §4.10). */
  public boolean stopsTreeWalk() {
    return this != UNKNOWN;
  }

  @Override
  public String toString() {
    return tagValue;
  }
}
