package org.authmill.spf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.authmill.dns.DomainName;

/**
 * Expands macro-strings (RFC 7208 §7): letters, the digit and {@code r} transformers, delimiters,
 * URL escaping for upper-case letters (§7.3), and, for names to be looked up, the trailing-dot
 * removal and the 253-character truncation of §7.3. Pure and thread-safe; the {@code p} value must
 * already be in the {@link MacroContext}.
 */
public final class MacroExpander {

  /** The longest domain name, as text without the trailing dot (RFC 7208 §7.3). */
  public static final int MAX_DOMAIN_LENGTH = DomainName.MAX_LENGTH;

  private MacroExpander() {}

  /**
   * The most characters {@link #expand} produces; the rest is cut. A record can hold thousands of
   * macros, each as long as the sender, so the output is bounded before it is built. An explanation
   * this long is already far past what an SMTP reply can carry.
   */
  public static final int MAX_EXPANSION = 8192;

  /**
   * How many characters at the end of a domain-spec's expansion are kept: the name §7.3 asks for
   * depends only on the last 254, so longer expansions are never built in full.
   */
  private static final int DOMAIN_TAIL = 512;

  /**
   * Expands a macro-string as it is written, with no domain-name post-processing; output beyond
   * {@link #MAX_EXPANSION} characters is cut.
   */
  public static String expand(MacroString macroString, MacroContext context) {
    StringBuilder out = new StringBuilder();
    for (MacroString.Part part : macroString.parts()) {
      out.append(expandPart(part, context));
      if (out.length() >= MAX_EXPANSION) {
        out.setLength(MAX_EXPANSION);
        break;
      }
    }
    return out.toString();
  }

  /** The whole expansion, however long: the reference the bounded expansions are tested against. */
  static String expandUnbounded(MacroString macroString, MacroContext context) {
    StringBuilder out = new StringBuilder();
    for (MacroString.Part part : macroString.parts()) {
      out.append(expandPart(part, context));
    }
    return out.toString();
  }

  /**
   * Expands a domain-spec into the name to look up: one trailing dot removed, and labels removed
   * from the left until at most 253 characters remain (RFC 7208 §7.3). A name whose last label
   * alone is longer stays longer than 253 characters, which no lookup accepts.
   */
  public static String expandDomain(MacroString domainSpec, MacroContext context) {
    // From the right, until the part that decides the name is known: the left side is dropped
    // anyway, so a record full of macros costs no more than its last few hundred characters.
    List<MacroString.Part> parts = domainSpec.parts();
    List<String> pieces = new ArrayList<>();
    int length = 0;
    int i = parts.size() - 1;
    for (; i >= 0 && length < DOMAIN_TAIL; i--) {
      String piece = expandPart(parts.get(i), context);
      pieces.add(piece);
      length += piece.length();
    }
    Collections.reverse(pieces);
    String tail = String.join("", pieces);
    boolean cut = i >= 0 || tail.length() > DOMAIN_TAIL;
    if (tail.length() > DOMAIN_TAIL) {
      tail = tail.substring(tail.length() - DOMAIN_TAIL);
    }
    return truncate(tail, cut);
  }

  /** Drops a trailing dot and the leftmost labels of a name longer than 253 characters. */
  static String truncate(String name) {
    return truncate(name, false);
  }

  /**
   * As {@link #truncate(String)}, for the last characters of a longer name when {@code cut}: its
   * first label may be partial, so it is never kept.
   */
  private static String truncate(String name, boolean cut) {
    int end = name.endsWith(".") ? name.length() - 1 : name.length();
    int start = 0;
    if (cut) {
      int dot = name.indexOf('.');
      if (dot < 0 || dot >= end) {
        return name.substring(0, end); // one label longer than any name may be
      }
      start = dot + 1;
    }
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

  private static String expandPart(MacroString.Part part, MacroContext context) {
    return part instanceof MacroString.Literal literal
        ? literal.text()
        : expandMacro((MacroString.Macro) part, context);
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
