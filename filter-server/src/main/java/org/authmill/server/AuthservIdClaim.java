package org.authmill.server;

import java.util.Locale;
import java.util.Optional;

/**
 * Reads the authserv-id of an Authentication-Results field value (RFC 8601 §2.2: {@code
 * authres-payload = [CFWS] authserv-id ...}, {@code authserv-id = value}, RFC 2045 §5.1 {@code
 * value = token / quoted-string}), skipping folding whitespace and nested comments, and decides
 * whether it is ours (compared case-insensitively, as domain names are).
 *
 * <p>TODO(dmarc): replace with the dmarc module's Authentication-Results parser once it lands; this
 * reads only the authserv-id, which is all RFC 8601 §5 removal needs.
 */
public final class AuthservIdClaim {
  private AuthservIdClaim() {}

  /** True when the field value's authserv-id equals {@code ours}, ignoring case. */
  public static boolean claims(String value, String ours) {
    return authservId(value).map(id -> id.equalsIgnoreCase(ours)).orElse(false);
  }

  /**
   * The authserv-id of an Authentication-Results value (everything after the colon), or empty when
   * there is none to read (an empty value, an unterminated comment or quoted string).
   */
  public static Optional<String> authservId(String value) {
    int i = skipCfws(value, 0);
    if (i < 0 || i >= value.length()) {
      return Optional.empty();
    }
    if (value.charAt(i) == '"') {
      StringBuilder sb = new StringBuilder();
      for (i++; i < value.length(); i++) {
        char c = value.charAt(i);
        if (c == '\\' && i + 1 < value.length()) {
          sb.append(value.charAt(++i));
        } else if (c == '"') {
          return Optional.of(sb.toString().strip());
        } else if (c != '\r' && c != '\n') {
          sb.append(c);
        }
      }
      return Optional.empty();
    }
    int start = i;
    while (i < value.length() && isTokenChar(value.charAt(i))) {
      i++;
    }
    return i == start ? Optional.empty() : Optional.of(value.substring(start, i));
  }

  /** RFC 2045 §5.1 token characters: no space, controls or tspecials. */
  private static boolean isTokenChar(char c) {
    return c > ' ' && c < 0x7F && "()<>@,;:\\\"/[]?=".indexOf(c) < 0 || c >= 0x80;
  }

  /** Skips whitespace, line folds and (nested) comments; -1 for an unterminated comment. */
  private static int skipCfws(String s, int i) {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
        i++;
      } else if (c == '(') {
        int depth = 0;
        while (i < s.length()) {
          char d = s.charAt(i);
          if (d == '\\') {
            i += 2;
            continue;
          }
          if (d == '(') {
            depth++;
          } else if (d == ')' && --depth == 0) {
            break;
          }
          i++;
        }
        if (i >= s.length()) {
          return -1;
        }
        i++;
      } else {
        return i;
      }
    }
    return i;
  }

  /** The id lower-cased, for logs and maps. */
  static String key(String id) {
    return id.toLowerCase(Locale.ROOT);
  }
}
