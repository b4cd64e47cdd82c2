package org.authmill.spf;

/**
 * Which identity an SPF check authorized (RFC 7208 §2.3 HELO, §2.4 MAIL FROM), with the names RFC
 * 7208 §9.1 ({@code identity=}) and RFC 8601 §2.7.2 ({@code smtp.mailfrom}, {@code smtp.helo}) use.
 */
public enum SpfIdentity {
  /** The MAIL FROM identity (RFC 7208 §2.4); for the null reverse-path, postmaster@HELO. */
  MAILFROM("mailfrom", "smtp.mailfrom"),
  /** The HELO/EHLO identity (RFC 7208 §2.3). */
  HELO("helo", "smtp.helo");

  private final String keyword;
  private final String property;

  SpfIdentity(String keyword, String property) {
    this.keyword = keyword;
    this.property = property;
  }

  /** The Received-SPF {@code identity=} value (RFC 7208 §9.1): {@code mailfrom} or {@code helo}. */
  public String keyword() {
    return keyword;
  }

  /**
   * The Authentication-Results property (RFC 8601 §2.7.2) that names this identity: {@code
   * smtp.mailfrom} or {@code smtp.helo}.
   */
  public String authResultsProperty() {
    return property;
  }
}
