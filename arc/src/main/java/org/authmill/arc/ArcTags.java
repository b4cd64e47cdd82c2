package org.authmill.arc;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import org.authmill.dkim.DkimPrimitives;
import org.authmill.dkim.SignatureAlgorithm;

/** The tag checks that ARC-Seal and ARC-Message-Signature share (RFC 8617 §4.1, RFC 6376 §3.5). */
final class ArcTags {
  /** RFC 8617 §4.2.1: instance values range from 1 to 50. */
  static final int MAX_INSTANCE = 50;

  private ArcTags() {}

  /** The value of a raw field ({@code Name:value}) as ISO-8859-1 text, one char per octet. */
  static String value(byte[] raw) {
    String field = new String(raw, StandardCharsets.ISO_8859_1);
    int colon = field.indexOf(':');
    return colon < 0 ? "" : field.substring(colon + 1);
  }

  /** Parses a tag-list, naming the field in the error. */
  static Map<String, String> parse(String what, String value) throws ArcHeaderException {
    try {
      return DkimPrimitives.tags(value);
    } catch (IllegalArgumentException e) {
      throw new ArcHeaderException(what + " is malformed: " + e.getMessage());
    }
  }

  static String require(String what, Map<String, String> tags, String name)
      throws ArcHeaderException {
    String value = tags.get(name);
    if (value == null) {
      throw new ArcHeaderException(what + " has no " + name + "= tag");
    }
    return value;
  }

  /** An instance number {@code i=} (RFC 8617 §4.2.1): 1 or more, decimal, at most 9 digits. */
  static int instance(String what, String value) throws ArcHeaderException {
    String v = DkimPrimitives.stripWhitespace(value);
    if (v.isEmpty() || v.length() > 9 || !digits(v)) {
      throw new ArcHeaderException(what + " has an invalid instance i=" + shorten(v));
    }
    int i = Integer.parseInt(v);
    if (i < 1) {
      throw new ArcHeaderException(what + " has instance i=0; instances start at 1");
    }
    return i;
  }

  /** The signing algorithm; rsa-sha1 is refused (RFC 8301 §3.1, as for DKIM). */
  static SignatureAlgorithm algorithm(String what, String value) throws ArcHeaderException {
    String a = DkimPrimitives.stripWhitespace(value);
    if (a.equals("rsa-sha1")) {
      throw new ArcHeaderException(
          what + " uses a=rsa-sha1, which is not accepted (RFC 8301 §3.1; use rsa-sha256)");
    }
    return SignatureAlgorithm.fromTag(a)
        .orElseThrow(
            () -> new ArcHeaderException(what + " has an unsupported algorithm a=" + shorten(a)));
  }

  /** A d= or s= value, checked and lower-cased. */
  static String name(String what, String tag, String value) throws ArcHeaderException {
    String v = DkimPrimitives.stripWhitespace(value);
    if (!DkimPrimitives.isDomainName(v)) {
      throw new ArcHeaderException(what + " has an invalid " + tag + "=" + shorten(v));
    }
    return v.toLowerCase(Locale.ROOT);
  }

  static byte[] base64(String what, String tag, String value) throws ArcHeaderException {
    byte[] decoded = DkimPrimitives.base64(value);
    if (decoded == null || decoded.length == 0) {
      throw new ArcHeaderException(what + " has an empty or invalid base64 " + tag + "=");
    }
    return decoded;
  }

  /** An optional decimal number of 1 to 12 digits ({@code t=}, {@code l=}); -1 when absent. */
  static long number(String what, Map<String, String> tags, String tag) throws ArcHeaderException {
    String value = tags.get(tag);
    if (value == null) {
      return -1;
    }
    String v = DkimPrimitives.stripWhitespace(value);
    if (v.isEmpty() || v.length() > 12 || !digits(v)) {
      throw new ArcHeaderException(what + " has a malformed " + tag + "=" + shorten(v));
    }
    return Long.parseLong(v);
  }

  static boolean digits(String v) {
    for (int k = 0; k < v.length(); k++) {
      if (v.charAt(k) < '0' || v.charAt(k) > '9') {
        return false;
      }
    }
    return true;
  }

  static String shorten(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}
