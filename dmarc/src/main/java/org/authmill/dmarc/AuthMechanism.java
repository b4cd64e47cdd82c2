package org.authmill.dmarc;

/** The authentication mechanisms underlying DMARC (RFC 9989 §4.3). */
public enum AuthMechanism {
  /** SPF (RFC 7208), MAIL FROM identity. */
  SPF("spf"),
  /** DKIM (RFC 6376), one check per signature. */
  DKIM("dkim");

  private final String method;

  AuthMechanism(String method) {
    this.method = method;
  }

  /** The RFC 8601 method name. */
  public String method() {
    return method;
  }

  @Override
  public String toString() {
    return method;
  }
}
