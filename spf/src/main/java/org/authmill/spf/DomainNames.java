package org.authmill.spf;

import java.util.Locale;

/** Checks on domain names before they are looked up (RFC 7208 §4.3, §7.3; RFC 1035 §2.3.4). */
final class DomainNames {
  static final int MAX_LABEL = 63;

  private DomainNames() {}

  /**
   * Null when {@code name} (without a trailing dot) can be asked for in the DNS: labels of 1 to 63
   * octets, at most 253 characters (RFC 1035 §2.3.4; a label may hold any octet, RFC 2181 §11, so a
   * macro may expand to spaces). Otherwise what is wrong with it.
   */
  static String problem(String name) {
    if (name.isEmpty()) {
      return "the name is empty";
    }
    if (name.length() > MacroExpander.MAX_DOMAIN_LENGTH) {
      return "the name is longer than 253 characters";
    }
    int labelStart = 0;
    for (int i = 0; i <= name.length(); i++) {
      if (i == name.length() || name.charAt(i) == '.') {
        int length = i - labelStart;
        if (length == 0) {
          return "the name has an empty label";
        }
        if (length > MAX_LABEL) {
          return "the name has a label longer than 63 characters";
        }
        labelStart = i + 1;
      }
    }
    return null;
  }

  /**
   * Null when {@code name} is a domain that check_host() may start at (RFC 7208 §4.3): a fully
   * qualified, multi-label name that can be looked up, whose last label is not all digits (an IP
   * address is not a domain) and that is not a domain literal. Otherwise what is wrong.
   */
  static String checkHostProblem(String name) {
    String bare = stripDot(name);
    if (bare.startsWith("[")) {
      return "'" + Sanitizer.printable(name) + "' is an address literal, not a domain";
    }
    String problem = problem(bare);
    if (problem == null && !bare.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      problem =
          "the name has a character that is not printable ASCII (an IDN must be given in A-labels, or in U-labels that IDNA2008 allows)";
    }
    if (problem != null) {
      return "'" + Sanitizer.printable(name) + "' is malformed: " + problem;
    }
    int dot = bare.lastIndexOf('.');
    if (dot < 0) {
      return "'" + Sanitizer.printable(name) + "' is not a fully qualified (multi-label) domain";
    }
    String top = bare.substring(dot + 1);
    if (top.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "'" + Sanitizer.printable(name) + "' ends in a numeric label, so it is not a domain";
    }
    return null;
  }

  static String stripDot(String name) {
    return name.endsWith(".") && name.length() > 1 ? name.substring(0, name.length() - 1) : name;
  }

  /** True when {@code name} equals {@code domain} or lies under it, ignoring case and dots. */
  static boolean isAtOrUnder(String name, String domain) {
    String n = stripDot(name).toLowerCase(Locale.ROOT);
    String d = stripDot(domain).toLowerCase(Locale.ROOT);
    return n.equals(d) || n.endsWith("." + d);
  }
}
