package org.authmill.spf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed {@code macro-string} of RFC 7208 §7.1: literal text and macros such as {@code %{ir}} to
 * be expanded by {@link MacroExpander}. A {@code domain-spec} (the argument of {@code a}, {@code
 * mx}, {@code include}, ... and of {@code redirect=}, {@code exp=}) is a macro-string that also
 * ends in a dot and a top label or in a macro (§7.1); an explanation string (§6.2) may also hold
 * spaces and the letters {@code c}, {@code r} and {@code t}.
 */
public final class MacroString {

  /** Where a macro-string appears, which decides the letters and characters it may use. */
  enum Kind {
    /** A {@code domain-spec}: letters s l o d i p h v; must end in "." toplabel or a macro. */
    DOMAIN_SPEC,
    /**
     * The value of an unknown modifier: a macro-string with the letters of a term argument (c, r
     * and t are "allowed only in exp text", RFC 7208 §7.2), no end rule (§6).
     */
    MODIFIER_VALUE,
    /** The TXT text named by {@code exp=}: any macro letter and spaces (RFC 7208 §6.2). */
    EXPLANATION
  }

  /** One piece of a macro-string. */
  sealed interface Part permits Literal, Macro {}

  /** Literal text, with {@code %%}, {@code %_} and {@code %-} already replaced. */
  record Literal(String text) implements Part {}

  /**
   * A {@code macro-expand}: {@code %{letter transformers delimiters}} (RFC 7208 §7.1).
   *
   * @param letter the macro letter in lower case
   * @param urlEscape true when the letter was written in upper case (§7.3: URL-escape the value)
   * @param keep how many right-hand parts to keep, 0 for all
   * @param reverse the {@code r} transformer
   * @param delimiters the delimiters to split on; {@code "."} when none were written
   */
  record Macro(char letter, boolean urlEscape, int keep, boolean reverse, String delimiters)
      implements Part {}

  /** Parts longer than this many digits are taken as "all parts" (no name has that many). */
  private static final int MAX_KEEP = 255;

  private static final String LETTERS = "slodiphcrtv";
  private static final String DELIMITERS = ".-+,/_=";

  private final String source;
  private final List<Part> parts;
  private final boolean endsWithMacro;

  private MacroString(String source, List<Part> parts, boolean endsWithMacro) {
    this.source = source;
    this.parts = List.copyOf(parts);
    this.endsWithMacro = endsWithMacro;
  }

  /** The text as written in the record. */
  public String source() {
    return source;
  }

  /** True when the string holds the macro letter {@code letter} (in either case). */
  public boolean uses(char letter) {
    char lower = Character.toLowerCase(letter);
    for (Part part : parts) {
      if (part instanceof Macro m && m.letter() == lower) {
        return true;
      }
    }
    return false;
  }

  /** True when the string holds no macro at all, so it expands to itself. */
  public boolean isLiteral() {
    for (Part part : parts) {
      if (part instanceof Macro) {
        return false;
      }
    }
    return true;
  }

  List<Part> parts() {
    return parts;
  }

  boolean endsWithMacro() {
    return endsWithMacro;
  }

  /** Parses text as a macro-string of the given kind. */
  static MacroString parse(String text, Kind kind) throws SyntaxError {
    Objects.requireNonNull(text, "text");
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    boolean lastWasMacro = false;
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '%') {
        if (!(c >= 0x21 && c <= 0x7e) && !(c == ' ' && kind == Kind.EXPLANATION)) {
          throw new SyntaxError("character " + describe(c) + " is not allowed (RFC 7208 §7.1)");
        }
        literal.append(c);
        lastWasMacro = false;
        i++;
        continue;
      }
      if (i + 1 >= text.length()) {
        throw new SyntaxError("'%' at the end (write %% for a percent sign, RFC 7208 §7.1)");
      }
      char next = text.charAt(i + 1);
      switch (next) {
        case '%' -> {
          literal.append('%');
          i += 2;
        }
        case '_' -> {
          literal.append(' ');
          i += 2;
        }
        case '-' -> {
          literal.append("%20");
          i += 2;
        }
        case '{' -> {
          int close = text.indexOf('}', i + 2);
          if (close < 0) {
            throw new SyntaxError("macro " + text.substring(i) + " has no closing '}'");
          }
          if (literal.length() > 0) {
            parts.add(new Literal(literal.toString()));
            literal.setLength(0);
          }
          parts.add(macro(text.substring(i, close + 1), kind));
          i = close + 1;
        }
        default ->
            throw new SyntaxError(
                "'%" + describe(next) + "' is not a macro (use %{x}, %%, %_ or %-, RFC 7208 §7.1)");
      }
      lastWasMacro = true;
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString()));
    }
    MacroString result = new MacroString(text, parts, lastWasMacro);
    if (kind == Kind.DOMAIN_SPEC) {
      checkDomainEnd(text, lastWasMacro);
    }
    return result;
  }

  private static Macro macro(String token, Kind kind) throws SyntaxError {
    // token is "%{" ... "}"
    String body = token.substring(2, token.length() - 1);
    if (body.isEmpty()) {
      throw new SyntaxError("empty macro " + token);
    }
    char letterWritten = body.charAt(0);
    char letter = Character.toLowerCase(letterWritten);
    if (LETTERS.indexOf(letter) < 0 || letterWritten > 0x7e) {
      throw new SyntaxError("unknown macro letter in " + token + " (RFC 7208 §7.2)");
    }
    if (kind != Kind.EXPLANATION && "crt".indexOf(letter) >= 0) {
      throw new SyntaxError(
          "macro " + token + " is allowed only in explanation text (RFC 7208 §7.2)");
    }
    int i = 1;
    long keep = 0;
    boolean digits = false;
    while (i < body.length() && body.charAt(i) >= '0' && body.charAt(i) <= '9') {
      keep = Math.min(keep * 10 + (body.charAt(i) - '0'), MAX_KEEP + 1);
      digits = true;
      i++;
    }
    if (digits && keep == 0) {
      throw new SyntaxError("macro " + token + " keeps 0 parts; the count must be nonzero (§7.3)");
    }
    boolean reverse = false;
    if (i < body.length() && (body.charAt(i) == 'r' || body.charAt(i) == 'R')) {
      reverse = true;
      i++;
    }
    StringBuilder delimiters = new StringBuilder();
    while (i < body.length()) {
      char d = body.charAt(i);
      if (DELIMITERS.indexOf(d) < 0) {
        throw new SyntaxError(
            "macro " + token + " has '" + describe(d) + "' where a delimiter .-+,/_= belongs");
      }
      if (delimiters.indexOf(String.valueOf(d)) < 0) {
        delimiters.append(d);
      }
      i++;
    }
    return new Macro(
        letter,
        Character.isUpperCase(letterWritten),
        keep > MAX_KEEP ? 0 : (int) keep,
        reverse,
        delimiters.length() == 0 ? "." : delimiters.toString());
  }

  /** domain-end = ( "." toplabel [ "." ] ) / macro-expand (RFC 7208 §7.1). */
  private static void checkDomainEnd(String text, boolean endsWithMacroExpand) throws SyntaxError {
    if (text.isEmpty()) {
      throw new SyntaxError("empty domain-spec");
    }
    if (endsWithMacroExpand) {
      return;
    }
    String t = text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    int dot = t.lastIndexOf('.');
    if (dot < 0) {
      throw new SyntaxError(
          "domain-spec '" + text + "' is not a fully qualified domain (RFC 7208 §7.1)");
    }
    String top = t.substring(dot + 1);
    if (!isTopLabel(top)) {
      throw new SyntaxError(
          "domain-spec '"
              + text
              + "' ends in '"
              + top
              + "', which is not a valid top label (letters, digits and inner dashes, not all"
              + " digits; RFC 7208 §7.1)");
    }
  }

  /** toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ). */
  static boolean isTopLabel(String label) {
    if (label.isEmpty()) {
      return false;
    }
    boolean alpha = false;
    boolean dash = false;
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
        alpha = true;
      } else if (c == '-') {
        dash = true;
      } else if (!(c >= '0' && c <= '9')) {
        return false;
      }
    }
    if (!dash) {
      return alpha;
    }
    return label.charAt(0) != '-' && label.charAt(label.length() - 1) != '-';
  }

  private static String describe(char c) {
    return c >= 0x21 && c <= 0x7e ? String.valueOf(c) : String.format("U+%04X", (int) c);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MacroString other && other.source.equals(source);
  }

  @Override
  public int hashCode() {
    return source.hashCode();
  }

  @Override
  public String toString() {
    return source;
  }
}
