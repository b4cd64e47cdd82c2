package org.authmill.spf;

import java.net.Inet4Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.authmill.dns.Excerpt;

/**
 * Parses the text of an SPF version 1 record (RFC 7208 §4.5, §4.6, §5, §6, §7.1 and the ABNF of
 * Appendix A) into a {@link SpfRecord}, or names the first term that breaks the grammar. Terms are
 * separated by spaces only (§4.6.1); names of mechanisms and modifiers are case-insensitive;
 * numbers (CIDR lengths, IPv4 octets) may not have leading zeros. Pure and thread-safe.
 */
public final class SpfParser {

  /** The version section, matched case-insensitively and ended by a space or the record's end. */
  public static final String VERSION = "v=spf1";

  private SpfParser() {}

  /**
   * True when the text starts with the version section {@code v=spf1} followed by a space or the
   * end, which is how RFC 7208 §4.5 picks SPF records out of a name's TXT records.
   */
  public static boolean isSpfRecord(String text) {
    return text.length() >= VERSION.length()
        && text.regionMatches(true, 0, VERSION, 0, VERSION.length())
        && (text.length() == VERSION.length() || text.charAt(VERSION.length()) == ' ');
  }

  /**
   * The longest record text parsed: the most TXT data one DNS response can carry (RFC 1035 §4.2.2,
   * over TCP). Longer text cannot come from the DNS and is refused before it is split.
   */
  public static final int MAX_RECORD_LENGTH = 65_535;

  /** How much of a record longer than {@link #MAX_RECORD_LENGTH} its reason shows. */
  private static final int SHOWN_OF_OVERLONG_RECORD = 23;

  /** Parses a record's text. */
  public static SpfParseResult parse(String text) {
    if (text.length() > MAX_RECORD_LENGTH) {
      return new SpfParseResult.Invalid(
          Excerpt.cut(text, SHOWN_OF_OVERLONG_RECORD),
          "record longer than " + MAX_RECORD_LENGTH + " characters, more than DNS can carry");
    }
    if (!isSpfRecord(text)) {
      return new SpfParseResult.Invalid(
          text, "does not start with 'v=spf1' and a space (RFC 7208 §4.5)");
    }
    List<Directive> directives = new ArrayList<>();
    List<SpfRecord.UnknownModifier> unknown = new ArrayList<>();
    MacroString redirect = null;
    MacroString explanation = null;
    for (String term : text.substring(VERSION.length()).split(" ")) {
      if (term.isEmpty()) {
        continue;
      }
      try {
        int eq = term.indexOf('=');
        if (eq > 0 && isModifierName(term.substring(0, eq))) {
          String name = term.substring(0, eq).toLowerCase(Locale.ROOT);
          String value = term.substring(eq + 1);
          switch (name) {
            case "redirect" -> {
              if (redirect != null) {
                throw new SyntaxError("redirect= appears twice (RFC 7208 §6)");
              }
              redirect = domainSpec(value, "redirect=");
            }
            case "exp" -> {
              if (explanation != null) {
                throw new SyntaxError("exp= appears twice (RFC 7208 §6)");
              }
              explanation = domainSpec(value, "exp=");
            }
            default ->
                unknown.add(
                    new SpfRecord.UnknownModifier(
                        name, MacroString.parse(value, MacroString.Kind.MODIFIER_VALUE)));
          }
        } else {
          directives.add(directive(term));
        }
      } catch (SyntaxError e) {
        return new SpfParseResult.Invalid(term, e.getMessage());
      }
    }
    return new SpfParseResult.Parsed(
        new SpfRecord(
            text,
            directives,
            Optional.ofNullable(redirect),
            Optional.ofNullable(explanation),
            unknown));
  }

  /** name = ALPHA *( ALPHA / DIGIT / "-" / "_" / "." ) (RFC 7208 §4.6.1). */
  private static boolean isModifierName(String name) {
    if (!isAlpha(name.charAt(0))) {
      return false;
    }
    for (int i = 1; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!isAlpha(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' && c != '.') {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static Directive directive(String term) throws SyntaxError {
    Qualifier qualifier = Qualifier.ofSymbol(term.charAt(0));
    String body = qualifier == null ? term : term.substring(1);
    if (qualifier == null) {
      qualifier = Qualifier.PASS;
    }
    int end = 0;
    while (end < body.length() && body.charAt(end) != ':' && body.charAt(end) != '/') {
      end++;
    }
    String name = body.substring(0, end).toLowerCase(Locale.ROOT);
    String rest = body.substring(end);
    Mechanism mechanism =
        switch (name) {
          case "all" -> {
            if (!rest.isEmpty()) {
              throw new SyntaxError("'all' takes no argument or CIDR length (RFC 7208 §5.1)");
            }
            yield new Mechanism.All();
          }
          case "include" -> new Mechanism.Include(requiredDomain(rest, "include", "§5.2"));
          case "exists" -> new Mechanism.Exists(requiredDomain(rest, "exists", "§5.7"));
          case "ptr" -> {
            if (rest.startsWith("/")) {
              throw new SyntaxError("'ptr' takes no CIDR length (RFC 7208 §5.5)");
            }
            yield new Mechanism.Ptr(optionalDomain(rest, "ptr"));
          }
          case "a", "mx" -> addressMechanism(name, rest);
          case "ip4" -> ip4(rest);
          case "ip6" -> ip6(rest);
          default ->
              throw new SyntaxError(
                  name.isEmpty()
                      ? "no mechanism name (RFC 7208 §4.6.1)"
                      : "unknown mechanism '" + name + "' (RFC 7208 §5)");
        };
    return new Directive(qualifier, mechanism, term);
  }

  private static MacroString requiredDomain(String rest, String name, String section)
      throws SyntaxError {
    if (!rest.startsWith(":")) {
      throw new SyntaxError("'" + name + "' needs ':' and a domain (RFC 7208 " + section + ")");
    }
    return domainSpec(rest.substring(1), name + ":");
  }

  private static Optional<MacroString> optionalDomain(String rest, String name) throws SyntaxError {
    if (rest.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(domainSpec(rest.substring(1), name + ":"));
  }

  private static MacroString domainSpec(String text, String where) throws SyntaxError {
    if (text.isEmpty()) {
      throw new SyntaxError(where + " has an empty domain-spec (RFC 7208 §7.1)");
    }
    return MacroString.parse(text, MacroString.Kind.DOMAIN_SPEC);
  }

  /** a / mx: [ ":" domain-spec ] [ "/" ip4-cidr ] [ "//" ip6-cidr ] (RFC 7208 §5.3, §5.4). */
  private static Mechanism addressMechanism(String name, String rest) throws SyntaxError {
    int ip6Prefix = 128;
    int ip4Prefix = 32;
    int slash = trailingPrefix(rest);
    if (slash >= 1 && rest.charAt(slash - 1) == '/') {
      ip6Prefix = prefix(rest.substring(slash + 1), 128, name);
      rest = rest.substring(0, slash - 1);
      slash = trailingPrefix(rest);
    }
    if (slash >= 0 && (slash == 0 || rest.charAt(slash - 1) != '/')) {
      ip4Prefix = prefix(rest.substring(slash + 1), 32, name);
      rest = rest.substring(0, slash);
    }
    if (!rest.isEmpty() && !rest.startsWith(":")) {
      throw new SyntaxError(
          "'" + name + "' expects [:domain][/ip4-cidr][//ip6-cidr] (RFC 7208 §5.3, §5.4)");
    }
    Optional<MacroString> domain = optionalDomain(rest, name);
    return name.equals("a")
        ? new Mechanism.A(domain, ip4Prefix, ip6Prefix)
        : new Mechanism.Mx(domain, ip4Prefix, ip6Prefix);
  }

  /** The index of the '/' before a trailing run of digits, or -1. */
  private static int trailingPrefix(String text) {
    int i = text.length();
    while (i > 0 && text.charAt(i - 1) >= '0' && text.charAt(i - 1) <= '9') {
      i--;
    }
    return i < text.length() && i > 0 && text.charAt(i - 1) == '/' ? i - 1 : -1;
  }

  private static int prefix(String digits, int max, String name) throws SyntaxError {
    if (digits.length() > 1 && digits.charAt(0) == '0') {
      throw new SyntaxError(
          "CIDR length /" + digits + " of '" + name + "' has a leading zero (RFC 7208 §5.6)");
    }
    if (digits.length() > 3 || Integer.parseInt(digits) > max) {
      throw new SyntaxError(
          "CIDR length /" + digits + " of '" + name + "' is over " + max + " (RFC 7208 §5.6)");
    }
    return Integer.parseInt(digits);
  }

  private static Mechanism ip4(String rest) throws SyntaxError {
    if (!rest.startsWith(":")) {
      throw new SyntaxError("'ip4' needs ':' and an address (RFC 7208 §5.6)");
    }
    String arg = rest.substring(1);
    int prefix = 32;
    int slash = arg.indexOf('/');
    if (slash >= 0) {
      String digits = arg.substring(slash + 1);
      if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new SyntaxError(
            "'ip4' takes one CIDR length /0 to /32, not '" + arg.substring(slash) + "' (§5.6)");
      }
      prefix = prefix(digits, 32, "ip4");
      arg = arg.substring(0, slash);
    }
    byte[] address = Addresses.parseIp4(arg);
    if (address == null) {
      throw new SyntaxError(
          "'" + arg + "' is not an IPv4 address of four decimal octets (RFC 7208 §5.6)");
    }
    return new Mechanism.Ip4((Inet4Address) Addresses.fromBytes(address), prefix);
  }

  private static Mechanism ip6(String rest) throws SyntaxError {
    if (!rest.startsWith(":")) {
      throw new SyntaxError("'ip6' needs ':' and an address (RFC 7208 §5.6)");
    }
    String arg = rest.substring(1);
    int prefix = 128;
    int slash = arg.indexOf('/');
    if (slash >= 0) {
      String digits = arg.substring(slash + 1);
      if (digits.isEmpty() || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
        throw new SyntaxError(
            "'ip6' takes one CIDR length /0 to /128, not '" + arg.substring(slash) + "' (§5.6)");
      }
      prefix = prefix(digits, 128, "ip6");
      arg = arg.substring(0, slash);
    }
    byte[] address = Addresses.parseIp6(arg);
    if (address == null) {
      throw new SyntaxError("'" + arg + "' is not an IPv6 address (RFC 4291 §2.2, RFC 7208 §5.6)");
    }
    return new Mechanism.Ip6(Addresses.fromBytes(address), prefix);
  }
}
