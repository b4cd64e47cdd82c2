package org.authmill.dkim;

import java.util.Locale;

/** Syntax checks for the domain names and selectors in signatures (RFC 6376 §3.1, §3.5). */
final class DomainNames {
  private DomainNames() {}

  /**
   * True for a name of dot-separated labels of letters, digits, hyphens and underscores, without
   * empty labels, each at most 63 octets and all at most 253 (RFC 1035 §2.3.4, RFC 6376 §3.1 allows
   * underscores in selectors).
   */
  static boolean isValid(String name) {
    if (name.isEmpty() || name.length() > 253) {
      return false;
    }
    int labelLength = 0;
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c == '.') {
        if (labelLength == 0) {
          return false;
        }
        labelLength = 0;
      } else if (c >= 'a' && c <= 'z'
          || c >= 'A' && c <= 'Z'
          || c >= '0' && c <= '9'
          || c == '-'
          || c == '_') {
        if (++labelLength > 63) {
          return false;
        }
      } else {
        return false;
      }
    }
    return labelLength > 0;
  }

  /** True when {@code name} equals {@code domain} or is a subdomain of it, ignoring case. */
  static boolean isWithin(String name, String domain) {
    String n = name.toLowerCase(Locale.ROOT);
    String d = domain.toLowerCase(Locale.ROOT);
    return n.equals(d) || n.endsWith("." + d);
  }
}
