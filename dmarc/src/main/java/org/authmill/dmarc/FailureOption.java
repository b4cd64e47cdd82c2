package org.authmill.dmarc;

/** A failure reporting option of the {@code fo} tag (RFC 9989 §4.7). */
public enum FailureOption {
  /** {@code 0}: report when every underlying mechanism fails to give an aligned pass. */
  ALL_FAIL("0"),
  /** {@code 1}: report when any underlying mechanism fails to give an aligned pass. */
  ANY_FAIL("1"),
  /** {@code d}: report any DKIM signature that failed evaluation (RFC 6651). */
  DKIM("d"),
  /** {@code s}: report any SPF failure (RFC 6652). */
  SPF("s");

  private final String tagValue;

  FailureOption(String tagValue) {
    this.tagValue = tagValue;
  }

  /** The value as written in the tag. */
  public String tagValue() {
    return tagValue;
  }

  @Override
  public String toString() {
    return tagValue;
  }
}
