package org.authmill.auth.results;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code header.b} values of DKIM results (RFC 6008 §4): a prefix of each signature's {@code
 * b=} value, at least {@value #MIN_LENGTH} characters, long enough to tell it from every other
 * signature of the message.
 */
final class SignaturePrefixes {
  private static final Pattern WHITE_SPACE = Pattern.compile("\\s");

  /** The shortest prefix written (RFC 6008 §4 recommends at least eight characters). */
  static final int MIN_LENGTH = 8;

  private SignaturePrefixes() {}

  /**
   * The prefix for each signature value, in order. White space in the values (folding) is removed
   * first. Two identical values get identical full-length prefixes.
   */
  static List<String> of(List<String> signatures) {
    List<String> clean = new ArrayList<>();
    for (String s : signatures) {
      clean.add(WHITE_SPACE.matcher(s).replaceAll(""));
    }
    List<String> prefixes = new ArrayList<>();
    for (int i = 0; i < clean.size(); i++) {
      String own = clean.get(i);
      int length = Math.min(MIN_LENGTH, own.length());
      for (int j = 0; j < clean.size(); j++) {
        if (j == i || clean.get(j).equals(own)) {
          continue;
        }
        int common = commonPrefix(own, clean.get(j));
        length = Math.max(length, Math.min(own.length(), common + 1));
      }
      prefixes.add(own.substring(0, length));
    }
    return prefixes;
  }

  private static int commonPrefix(String a, String b) {
    int n = Math.min(a.length(), b.length());
    int i = 0;
    while (i < n && a.charAt(i) == b.charAt(i)) {
      i++;
    }
    return i;
  }
}
