package org.authmill.spf;

import java.util.Locale;

/**
 * The result of an SPF check (RFC 7208 §2.6), with the keyword that RFC 7208 §9.1 writes in a
 * Received-SPF header and RFC 8601 §2.7.2 writes in an Authentication-Results {@code spf=} clause.
 */
public enum SpfResult {
  /** No SPF record was published, or no checkable domain was given (§2.6.1). */
  NONE,
  /** The domain owner explicitly states no assertion about the client (§2.6.2). */
  NEUTRAL,
  /** The client is authorized to use the domain (§2.6.3). */
  PASS,
  /** The client is explicitly not authorized to use the domain (§2.6.4). */
  FAIL,
  /** The client is probably not authorized; a weak statement between neutral and fail (§2.6.5). */
  SOFTFAIL,
  /** A transient (generally DNS) error; a later retry may succeed (§2.6.6). */
  TEMPERROR,
  /** The published records could not be correctly interpreted (§2.6.7). */
  PERMERROR;

  private final String keyword = name().toLowerCase(Locale.ROOT);

  /** The lower-case keyword of RFC 7208 §2.6 and RFC 8601 §2.7.2, such as {@code softfail}. */
  public String keyword() {
    return keyword;
  }

  /** The result for a keyword, in any case; throws for an unknown keyword. */
  public static SpfResult fromKeyword(String keyword) {
    for (SpfResult result : values()) {
      if (result.keyword.equalsIgnoreCase(keyword)) {
        return result;
      }
    }
    throw new IllegalArgumentException("not an SPF result keyword: " + keyword);
  }

  @Override
  public String toString() {
    return keyword;
  }
}
