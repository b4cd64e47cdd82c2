package org.authmill.dmarc;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.authmill.dns.Idna;

/** Domain name handling shared by the DMARC classes: normal form, labels, suffixes. */
final class DomainNames {
  /** The longest name in presentation form without the trailing dot (RFC 1035 §2.3.4). */
  static final int MAX_NAME_LENGTH = 253;

  private static final int MAX_LABEL_LENGTH = 63;

  private DomainNames() {}

  /**
   * The normal form used for comparison and lookups (RFC 9989 §4.4: comparisons are
   * case-insensitive; §5.3.1: U-labels become A-labels by IDNA2008, see {@link Idna}): lower case,
   * A-labels, one trailing dot removed. Empty when the text is not a host name: an empty label, a
   * label over 63 octets, a character other than a letter, digit, hyphen or underscore, or a label
   * IDNA2008 refuses.
   */
  static Optional<String> normalize(String text) {
    String name = text.strip();
    if (name.endsWith(".")) {
      name = name.substring(0, name.length() - 1);
    }
    if (name.isEmpty() || name.length() > 4 * MAX_NAME_LENGTH) {
      return Optional.empty();
    }
    if (!isAscii(name)) {
      Optional<String> ascii = Idna.toAscii(name);
      if (ascii.isEmpty()) {
        return Optional.empty();
      }
      name = ascii.get();
    }
    name = name.toLowerCase(Locale.ROOT);
    return isHostName(name) ? Optional.of(name) : Optional.empty();
  }

  /** True for LDH names (underscores allowed) of 1 to 63 octet labels, 253 octets at most. */
  static boolean isHostName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
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
      } else if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_') {
        if (++labelLength > MAX_LABEL_LENGTH) {
          return false;
        }
      } else {
        return false;
      }
    }
    return labelLength > 0;
  }

  /** The labels of a name, left to right. */
  static List<String> labels(String name) {
    return List.of(name.split("\\.", -1));
  }

  /** The number of labels of a name. */
  static int labelCount(String name) {
    int count = 1;
    for (int i = 0; i < name.length(); i++) {
      if (name.charAt(i) == '.') {
        count++;
      }
    }
    return count;
  }

  /** The name made of the right-most {@code count} labels of a name. */
  static String suffix(String name, int count) {
    int labels = labelCount(name);
    if (count >= labels) {
      return name;
    }
    if (count <= 0) {
      throw new IllegalArgumentException("a suffix has at least one label");
    }
    int index = name.length();
    for (int seen = 0; seen < count; seen++) {
      index = name.lastIndexOf('.', index - 1);
    }
    return name.substring(index + 1);
  }

  /** True when {@code name} equals {@code ancestor} or lies below it (names in normal form). */
  static boolean isAtOrBelow(String name, String ancestor) {
    return name.equals(ancestor) || name.endsWith("." + ancestor);
  }

  private static boolean isAscii(String text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0x7e) {
        return false;
      }
    }
    return true;
  }
}
