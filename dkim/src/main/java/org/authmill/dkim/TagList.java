package org.authmill.dkim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.authmill.dns.Excerpt;

/**
 * A parsed tag=value list (RFC 6376 §3.2), as used by DKIM-Signature header fields and key records.
 * Tag names are case-sensitive; a duplicated tag makes the list invalid; whitespace and folding
 * around values is dropped. Unknown tags are kept (and ignored by the callers).
 */
final class TagList {
  private final Map<String, String> tags;

  private TagList(Map<String, String> tags) {
    this.tags = tags;
  }

  /** Thrown for a malformed list; the message says what is wrong. */
  static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxException(String message) {
      super(message, null, false, false);
    }
  }

  /**
   * Parses a tag-list. Characters are taken as ISO-8859-1 code units, one per octet of the field.
   */
  static TagList parse(String text) throws SyntaxException {
    Map<String, String> tags = new LinkedHashMap<>();
    int length = text.length();
    int start = 0;
    while (start <= length) {
      int end = text.indexOf(';', start);
      if (end < 0) {
        end = length;
      }
      int nameStart = skipFws(text, start, end);
      if (nameStart == end) {
        // RFC 6376 §3.2: tag-spec *( ";" tag-spec ) [ ";" ]: only after the last ';' may be empty
        if (end < length) {
          throw new SyntaxException("empty tag-spec (\";;\") in the tag list");
        }
        start = end + 1;
        continue;
      }
      int equals = text.indexOf('=', nameStart);
      if (equals < 0 || equals > end) {
        throw new SyntaxException(
            "tag without '=': \"" + Excerpt.of(text.substring(nameStart, end).trim()) + "\"");
      }
      int nameEnd = trimFwsEnd(text, nameStart, equals);
      String name = text.substring(nameStart, nameEnd);
      if (!isTagName(name)) {
        throw new SyntaxException("invalid tag name \"" + Excerpt.of(name) + "\"");
      }
      int valueStart = skipFws(text, equals + 1, end);
      int valueEnd = trimFwsEnd(text, valueStart, end);
      String value = text.substring(valueStart, valueEnd);
      for (int i = 0; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c < 0x20 && c != '\t' && c != '\r' && c != '\n' || c == 0x7f) {
          throw new SyntaxException("control character in the value of tag " + name + "=");
        }
      }
      if (tags.putIfAbsent(name, value) != null) {
        throw new SyntaxException("duplicate tag " + name + "=");
      }
      start = end + 1;
    }
    return new TagList(Collections.unmodifiableMap(tags));
  }

  /** The value of a tag, or null if absent. */
  String get(String name) {
    return tags.get(name);
  }

  boolean has(String name) {
    return tags.containsKey(name);
  }

  /** The tag names in order of appearance. */
  List<String> names() {
    return new ArrayList<>(tags.keySet());
  }

  /** The value with all folding whitespace removed, as base64 and list values need. */
  static String stripWhitespace(String value) {
    int n = value.length();
    int i = 0;
    while (i < n && !isFws(value.charAt(i))) {
      i++;
    }
    if (i == n) {
      return value;
    }
    char[] out = new char[n];
    value.getChars(0, i, out, 0);
    int length = i;
    for (; i < n; i++) {
      char c = value.charAt(i);
      if (!isFws(c)) {
        out[length++] = c;
      }
    }
    return new String(out, 0, length);
  }

  /**
   * Decodes a base64 value (RFC 6376 §2.4) after removing whitespace, or returns null: for an octet
   * outside the base64 alphabet, or what the JDK's RFC 4648 decoder refuses.
   */
  static byte[] base64(String value) {
    int n = value.length();
    byte[] compact = new byte[n];
    int length = 0;
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      if (c >= 'A' && c <= 'Z'
          || c >= 'a' && c <= 'z'
          || c >= '0' && c <= '9'
          || c == '+'
          || c == '/'
          || c == '=') {
        compact[length++] = (byte) c;
      } else if (!isFws(c)) {
        return null;
      }
    }
    try {
      return Base64.getDecoder().decode(length == n ? compact : Arrays.copyOf(compact, length));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /**
   * Decodes base64 as RFC 6376 §2.4 defines it (RFC 2045 §6.8) after removing whitespace: whole
   * groups of four characters, with "=" only as padding of the last group. Returns null otherwise.
   */
  static byte[] strictBase64(String value) {
    String compact = stripWhitespace(value);
    int padding = 0;
    while (padding < 2
        && compact.length() > padding
        && compact.charAt(compact.length() - 1 - padding) == '=') {
      padding++;
    }
    if (compact.length() % 4 != 0 || compact.indexOf('=') < compact.length() - padding) {
      return null;
    }
    return base64(compact);
  }

  /**
   * Decodes a dkim-quoted-printable value (RFC 6376 §2.11): whitespace is dropped and each "=XX"
   * becomes the octet with that hex value; the octets are read as UTF-8 (RFC 8616 allows UTF-8 in
   * local parts). Returns null for a "=" not followed by two hex digits.
   */
  static String quotedPrintable(String value) {
    String compact = stripWhitespace(value);
    if (compact.indexOf('=') < 0) {
      return utf8(compact);
    }
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(compact.length());
    for (int i = 0; i < compact.length(); i++) {
      char c = compact.charAt(i);
      if (c != '=') {
        out.write(c);
        continue;
      }
      int high = i + 2 < compact.length() ? Character.digit(compact.charAt(i + 1), 16) : -1;
      int low = high < 0 ? -1 : Character.digit(compact.charAt(i + 2), 16);
      if (low < 0) {
        return null;
      }
      out.write(high << 4 | low);
      i += 2;
    }
    return new String(out.toByteArray(), java.nio.charset.StandardCharsets.UTF_8);
  }

  /**
   * Encodes text as dkim-quoted-printable (RFC 6376 §2.11): the UTF-8 octets outside dkim-safe-char
   * (%x21-3A / %x3C / %x3E-7E), such as space, ";" and "=", become "=XX".
   */
  static String encodeQuotedPrintable(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (byte b : text.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c >= 0x21 && c <= 0x7e && c != ';' && c != '=') {
        out.append((char) c);
      } else {
        out.append('=')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }

  /** Splits a colon-separated list, trimming whitespace around each element. */
  static List<String> colonList(String value) {
    List<String> out = new ArrayList<>();
    int start = 0;
    while (true) {
      int colon = value.indexOf(':', start);
      int end = colon < 0 ? value.length() : colon;
      out.add(stripWhitespace(value.substring(start, end)));
      if (colon < 0) {
        return out;
      }
      start = colon + 1;
    }
  }

  private static boolean isTagName(String name) {
    if (name.isEmpty() || !isAlpha(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '_') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlpha(char c) {
    return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
  }

  private static boolean isFws(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private static int skipFws(String text, int from, int end) {
    int i = from;
    while (i < end && isFws(text.charAt(i))) {
      i++;
    }
    return i;
  }

  private static int trimFwsEnd(String text, int from, int end) {
    int i = end;
    while (i > from && isFws(text.charAt(i - 1))) {
      i--;
    }
    return i;
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
