package org.authmill.dns;

import java.text.Normalizer;
import java.util.Optional;

/**
 * Converts a domain name with U-labels to A-labels, as RFC 8616 asks of SPF (§4) and DMARC (§6, and
 * RFC 9989 §5.3.1) before any lookup, by IDNA2008 (RFC 5890 §2.3, RFC 5891 §4 and §5) with the UTS
 * #46 mapping a mail reader applies before it: each non-ASCII label is mapped (compatibility forms
 * and upper case folded, invisible code points removed), put in NFC, checked, and Punycode-encoded
 * (RFC 3492) behind {@code xn--}.
 *
 * <p>Unlike {@link java.net.IDN} (IDNA2003), the sharp s and the final sigma are kept: {@code
 * faß.example} is {@code xn--fa-hia.example}, not the other domain {@code fass.example}. Invisible
 * joiners and other default-ignorable code points are removed, so that a name that displays as
 * {@code victim.example} is checked as {@code victim.example}. A label holding a code point
 * IDNA2008 does not allow in a host name (symbols, punctuation, spaces, controls), starting with a
 * combining mark, or starting or ending with a hyphen, is refused.
 */
public final class Idna {
  /** The most code points of one label converted; longer labels cannot fit 63 octets anyway. */
  static final int MAX_LABEL_CODE_POINTS = 63;

  private static final int BASE = 36;
  private static final int T_MIN = 1;
  private static final int T_MAX = 26;
  private static final int SKEW = 38;
  private static final int DAMP = 700;
  private static final int INITIAL_BIAS = 72;
  private static final int INITIAL_N = 0x80;

  private Idna() {}

  /**
   * The name with every non-ASCII label converted to an A-label, ASCII labels as given; label
   * separators U+3002, U+FF0E and U+FF61 become dots. Empty when a label cannot be converted.
   */
  public static Optional<String> toAscii(String name) {
    String dotted = name.replace('\u3002', '.').replace('\uff0e', '.').replace('\uff61', '.');
    StringBuilder out = new StringBuilder(dotted.length() + 16);
    int start = 0;
    while (true) {
      int dot = dotted.indexOf('.', start);
      String label = dotted.substring(start, dot < 0 ? dotted.length() : dot);
      if (isAscii(label)) {
        out.append(label);
      } else {
        Optional<String> ascii = labelToAscii(label);
        if (ascii.isEmpty()) {
          return Optional.empty();
        }
        out.append(ascii.get());
      }
      if (dot < 0) {
        return Optional.of(out.toString());
      }
      out.append('.');
      start = dot + 1;
    }
  }

  private static Optional<String> labelToAscii(String label) {
    if (label.codePointCount(0, label.length()) > 4 * MAX_LABEL_CODE_POINTS) {
      return Optional.empty();
    }
    String mapped = map(label);
    if (isAscii(mapped)) {
      // only compatibility forms of ASCII (fullwidth letters, say): the ASCII label itself
      return Optional.of(mapped);
    }
    int[] cps = mapped.codePoints().toArray();
    if (cps.length > MAX_LABEL_CODE_POINTS || !isValid(cps)) {
      return Optional.empty();
    }
    return punycode(cps).map(p -> "xn--" + p);
  }

  /** UTS #46 mapping, approximated: NFKC, simple lower case, ignorables removed, then NFC. */
  private static String map(String label) {
    String compat = Normalizer.normalize(label, Normalizer.Form.NFKC);
    StringBuilder lower = new StringBuilder(compat.length());
    compat
        .codePoints()
        .filter(cp -> !isIgnorable(cp))
        .forEach(
            cp -> {
              if (cp == 0x0130) {
                lower.append("i\u0307"); // UTS #46: capital I with dot above
              } else if (cp == 0x1E9E) {
                lower.append("ss"); // UTS #46: capital sharp s
              } else {
                lower.appendCodePoint(Character.toLowerCase(cp));
              }
            });
    return Normalizer.normalize(lower, Normalizer.Form.NFC);
  }

  /** Code points that display as nothing; UTS #46 ignores them and IDNA2003 removed them. */
  private static boolean isIgnorable(int cp) {
    return cp == 0x00AD
        || cp == 0x034F
        || (cp >= 0x180B && cp <= 0x180F)
        || (cp >= 0x200B && cp <= 0x200D)
        || (cp >= 0x2060 && cp <= 0x2064)
        || (cp >= 0xFE00 && cp <= 0xFE0F)
        || cp == 0xFEFF
        || (cp >= 0x1BCA0 && cp <= 0x1BCA3)
        || (cp >= 0xE0100 && cp <= 0xE01EF);
  }

  /** RFC 5891 §4.2.3 and §5.4 checks, with RFC 5892's categories approximated by Unicode's. */
  private static boolean isValid(int[] cps) {
    if (cps[0] == '-' || cps[cps.length - 1] == '-') {
      return false;
    }
    if (cps.length >= 4 && cps[2] == '-' && cps[3] == '-') {
      return false;
    }
    int first = Character.getType(cps[0]);
    if (first == Character.NON_SPACING_MARK
        || first == Character.COMBINING_SPACING_MARK
        || first == Character.ENCLOSING_MARK) {
      return false;
    }
    for (int cp : cps) {
      if (!isAllowed(cp)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAllowed(int cp) {
    if (cp < 0x80) {
      return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '-';
    }
    return switch (Character.getType(cp)) {
      case Character.LOWERCASE_LETTER,
          Character.OTHER_LETTER,
          Character.MODIFIER_LETTER,
          Character.NON_SPACING_MARK,
          Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER ->
          true;
      // the CONTEXTO punctuation of RFC 5892 Appendix A (its context is not checked)
      default -> cp == 0x00B7 || cp == 0x0375 || cp == 0x05F3 || cp == 0x05F4 || cp == 0x30FB;
    };
  }

  /** The Punycode encoding of RFC 3492 §6.3; empty on overflow. */
  static Optional<String> punycode(int[] input) {
    StringBuilder out = new StringBuilder();
    for (int cp : input) {
      if (cp < 0x80) {
        out.append((char) cp);
      }
    }
    int basic = out.length();
    int handled = basic;
    if (basic > 0) {
      out.append('-');
    }
    long n = INITIAL_N;
    long delta = 0;
    int bias = INITIAL_BIAS;
    while (handled < input.length) {
      long m = Long.MAX_VALUE;
      for (int cp : input) {
        if (cp >= n && cp < m) {
          m = cp;
        }
      }
      delta += (m - n) * (handled + 1);
      if (delta > Integer.MAX_VALUE) {
        return Optional.empty();
      }
      n = m;
      for (int cp : input) {
        if (cp < n) {
          delta++;
        }
        if (cp == n) {
          long q = delta;
          for (int k = BASE; ; k += BASE) {
            int t = k <= bias ? T_MIN : Math.min(k - bias, T_MAX);
            if (q < t) {
              break;
            }
            out.append(digit((int) (t + (q - t) % (BASE - t))));
            q = (q - t) / (BASE - t);
          }
          out.append(digit((int) q));
          bias = adapt(delta, handled + 1, handled == basic);
          delta = 0;
          handled++;
        }
      }
      delta++;
      n++;
    }
    return Optional.of(out.toString());
  }

  private static int adapt(long delta, int points, boolean first) {
    long d = first ? delta / DAMP : delta / 2;
    d += d / points;
    int k = 0;
    while (d > ((BASE - T_MIN) * T_MAX) / 2) {
      d /= BASE - T_MIN;
      k += BASE;
    }
    return (int) (k + (BASE - T_MIN + 1) * d / (d + SKEW));
  }

  private static char digit(int d) {
    return (char) (d < 26 ? 'a' + d : '0' + d - 26);
  }

  private static boolean isAscii(CharSequence text) {
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) >= 0x80) {
        return false;
      }
    }
    return true;
  }
}
