package org.authmill.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Expands macro-strings (RFC 7208 §7): letters, the digit and {@code r} transformers, delimiters,
 * URL escaping for upper-case letters (§7.3), and, for names to be looked up, the trailing-dot
 * removal and the 253-character truncation of §7.3. Pure and thread-safe; the {@code p} value must
 * already be in the {@link MacroContext}.
 */
public final class MacroExpander {

  /** The longest domain name, as text without the trailing dot (RFC 7208 §7.3). */
  public static final int MAX_DOMAIN_LENGTH = 253;

  private MacroExpander() {}

  /** Expands a macro-string as it is written, with no domain-name post-processing. */
  public static String expand(MacroString macroString, MacroContext context) {
    StringBuilder out = new StringBuilder();
    for (MacroString.Part part : macroString.parts()) {
      if (part instanceof MacroString.Literal literal) {
        out.append(literal.text());
      } else {
        out.append(expandMacro((MacroString.Macro) part, context));
      }
    }
    return out.toString();
  }

  /**
   * Expands a domain-spec into the name to look up: one trailing dot removed, and labels removed
   * from the left until at most 253 characters remain (RFC 7208 §7.3).
   */
  public static String expandDomain(MacroString domainSpec, MacroContext context) {
    return truncate(expand(domainSpec, context));
  }

  /** Drops a trailing dot and the leftmost labels of a name longer than 253 characters. */
  static String truncate(String name) {
    int end = name.endsWith(".") ? name.length() - 1 : name.length();
    int start = 0;
    // one pass over the dots, so an expansion with many labels costs linear time
    while (end - start > MAX_DOMAIN_LENGTH) {
      int dot = name.indexOf('.', start);
      if (dot < 0 || dot >= end) {
        break;
      }
      start = dot + 1;
    }
    return name.substring(start, end);
  }

  private static String expandMacro(MacroString.Macro macro, MacroContext context) {
    String value =
        switch (macro.letter()) {
          case 's' -> context.sender();
          case 'l' -> context.localPart();
          case 'o' -> context.senderDomain();
          case 'd' -> context.domain();
          case 'i' -> Addresses.dotted(context.ip());
          case 'p' -> context.validatedName();
          case 'v' -> Addresses.isIp4(context.ip()) ? "in-addr" : "ip6";
          case 'h' -> context.helo();
          case 'c' -> Addresses.readable(context.ip());
          case 'r' -> context.receiver();
          case 't' -> Long.toString(context.now().getEpochSecond());
          default -> throw new IllegalStateException("unparsed macro letter " + macro.letter());
        };
    String transformed = transform(value, macro);
    return macro.urlEscape() ? urlEscape(transformed) : transformed;
  }

  private static String transform(String value, MacroString.Macro macro) {
    if (macro.keep() == 0 && !macro.reverse() && macro.delimiters().equals(".")) {
      return value;
    }
    List<String> parts = split(value, macro.delimiters());
    if (macro.reverse()) {
      Collections.reverse(parts);
    }
    if (macro.keep() > 0 && macro.keep() < parts.size()) {
      parts = parts.subList(parts.size() - macro.keep(), parts.size());
    }
    return String.join(".", parts);
  }

  private static List<String> split(String value, String delimiters) {
    List<String> parts = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < value.length(); i++) {
      if (delimiters.indexOf(value.charAt(i)) >= 0) {
        parts.add(value.substring(start, i));
        start = i + 1;
      }
    }
    parts.add(value.substring(start));
    return parts;
  }

  /** Escapes every byte outside RFC 3986's unreserved set as %XX (RFC 7208 §7.3). */
  static String urlEscape(String value) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.append((char) c);
      } else {
        out.append('%')
            .append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
