package org.authmill.dkim;

import java.util.Locale;
import org.authmill.dns.Idna;

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

  /**
   * The name with its U-labels turned into A-labels (RFC 8616 §4: internationalized headers may
   * carry U-labels in d=, s= and i=; the DNS holds A-labels), unchanged when it is all ASCII, or
   * null when it is not a convertible name. The conversion is {@link Idna}'s (IDNA2008), the one
   * DMARC uses for the From: domain, so that a d= and a From: in U-labels align as they read.
   */
  static String toAscii(String name) {
    boolean ascii = true;
    for (int i = 0; i < name.length() && ascii; i++) {
      ascii = name.charAt(i) < 0x80;
    }
    if (ascii) {
      return name;
    }
    String converted = Idna.toAscii(name).orElse("");
    return converted.isEmpty() || converted.contains("..") ? null : converted;
  }

  /**
   * Header octets (one char per octet, as the tag parser reads them) read as UTF-8 (RFC 6532), or
   * unchanged when they are ASCII or not valid UTF-8.
   */
  static String utf8(String octets) {
    boolean ascii = true;
    for (int i = 0; i < octets.length() && ascii; i++) {
      ascii = octets.charAt(i) < 0x80;
    }
    if (ascii) {
      return octets;
    }
    byte[] bytes = octets.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
    try {
      return java.nio.charset.StandardCharsets.UTF_8
          .newDecoder()
          .decode(java.nio.ByteBuffer.wrap(bytes))
          .toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      return octets;
    }
  }
}
