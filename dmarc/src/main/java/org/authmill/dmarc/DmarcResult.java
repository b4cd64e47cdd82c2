package org.authmill.dmarc;

/** The DMARC result codes (RFC 9989 §9.2, as written in Authentication-Results, RFC 8601). */
public enum DmarcResult {
  /** No DMARC Policy Record exists for the Author Domain: DMARC does not apply. */
  NONE,
  /** A record exists and an authenticated identifier is aligned with the Author Domain. */
  PASS,
  /** A record exists and no authenticated identifier is aligned. */
  FAIL,
  /** A transient error, such as a DNS timeout; a later attempt may give a final result. */
  TEMPERROR,
  /** An unrecoverable error, such as an unusable record or a From: field without one domain. */
  PERMERROR;

  /** The keyword as written in Authentication-Results. */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  @Override
  public String toString() {
    return keyword();
  }
}
