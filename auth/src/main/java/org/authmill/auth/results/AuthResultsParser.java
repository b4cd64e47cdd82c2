package org.authmill.auth.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import org.authmill.dns.ParseResult;
import org.authmill.dns.Unfolding;

/**
 * Parses Authentication-Results field values by the RFC 8601 §2.2 grammar, with CFWS (white space,
 * folding and nested comments with quoted-pairs, RFC 5322 §3.2.2) wherever the grammar allows it.
 * Property values are read as RFC 8601 pvalues: a quoted-string, an address, or a run of printable
 * characters (OpenDKIM writes {@code header.b} values containing {@code /}, {@code +} and {@code =}
 * without quotes, so the run is not limited to an RFC 2045 token).
 */
final class AuthResultsParser {
  private final String text;
  private int pos;
  private final List<String> comments = new ArrayList<>();

  private AuthResultsParser(String text) {
    this.text = text;
  }

  /** Thrown inside the parser only; becomes a {@link ParseResult.Invalid}. */
  private static final class SyntaxError extends Exception {
    private static final long serialVersionUID = 1L;

    SyntaxError(String message) {
      super(message, null, false, false);
    }
  }

  static ParseResult<AuthenticationResults> parse(String fieldValue) {
    if (fieldValue.length() > AuthenticationResults.MAX_PARSE_LENGTH) {
      return new ParseResult.Invalid<>(
          "field longer than " + AuthenticationResults.MAX_PARSE_LENGTH + " characters");
    }
    AuthResultsParser p = new AuthResultsParser(Unfolding.unfold(stripFieldName(fieldValue)));
    try {
      return new ParseResult.Parsed<>(p.payload());
    } catch (SyntaxError e) {
      return new ParseResult.Invalid<>(e.getMessage());
    }
  }

  static Optional<String> authservId(String fieldValue) {
    AuthResultsParser p = new AuthResultsParser(Unfolding.unfold(stripFieldName(fieldValue)));
    try {
      p.cfws();
      boolean quoted = p.peek('"');
      String id = p.value("authserv-id");
      if (!quoted) {
        // An RFC 2045 token ends at the first tspecial: "mx.example.org/x" claims mx.example.org,
        // as a strict reader downstream would take it (RFC 8601 §5 errs on removing).
        id = HeaderText.tokenPrefix(id);
      }
      return id.isEmpty() ? Optional.empty() : Optional.of(id);
    } catch (SyntaxError e) {
      return Optional.empty();
    }
  }

  private static String stripFieldName(String value) {
    String prefix = AuthenticationResults.FIELD_NAME;
    if (value.regionMatches(true, 0, prefix, 0, prefix.length())) {
      int i = prefix.length();
      while (i < value.length() && (value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
        i++;
      }
      if (i < value.length() && value.charAt(i) == ':') {
        return value.substring(i + 1);
      }
    }
    return value;
  }

  private AuthenticationResults payload() throws SyntaxError {
    cfws();
    String authservId = value("authserv-id");
    if (HeaderText.sanitize(authservId).isEmpty()) {
      // also a quoted-string of nothing but white space or control characters: no identifier
      throw new SyntaxError("no authserv-id at the start");
    }
    cfws();
    OptionalInt version = OptionalInt.empty();
    if (pos < text.length() && isDigit(text.charAt(pos))) {
      int start = pos;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
      if (pos - start > 9) {
        throw new SyntaxError("version number too long");
      }
      version = OptionalInt.of(Integer.parseInt(text.substring(start, pos)));
      cfws();
    }
    List<MethodResult> results = new ArrayList<>();
    boolean none = false;
    while (true) {
      cfws();
      if (pos >= text.length()) {
        break;
      }
      expect(';', "';' before a result");
      cfws();
      if (pos >= text.length()) {
        break; // a trailing semicolon
      }
      if (text.charAt(pos) == ';') {
        continue; // an empty result
      }
      int mark = pos;
      String word = keyword("method");
      cfws();
      if (word.equals("none")
          && results.isEmpty()
          && (pos >= text.length() || text.charAt(pos) == ';')) {
        none = true;
        continue;
      }
      pos = mark;
      comments.clear();
      results.add(resinfo());
    }
    if (none && !results.isEmpty()) {
      throw new SyntaxError("'none' together with results");
    }
    return new AuthenticationResults(authservId, version, results);
  }

  private MethodResult resinfo() throws SyntaxError {
    String method = keyword("method");
    cfws();
    OptionalInt methodVersion = OptionalInt.empty();
    if (peek('/')) {
      pos++;
      cfws();
      int start = pos;
      while (pos < text.length() && isDigit(text.charAt(pos))) {
        pos++;
      }
      if (start == pos || pos - start > 9) {
        throw new SyntaxError("method version of " + method + " is not a number");
      }
      methodVersion = OptionalInt.of(Integer.parseInt(text.substring(start, pos)));
      cfws();
    }
    expect('=', "'=' after the method " + method);
    cfws();
    String result = keyword("result of " + method);
    comments.clear();
    cfws();
    Optional<String> comment = comments.isEmpty() ? Optional.empty() : Optional.of(comments.get(0));
    Optional<String> reason = Optional.empty();
    List<ResultProperty> properties = new ArrayList<>();
    while (pos < text.length() && text.charAt(pos) != ';') {
      String name = keyword("property type after " + method + "=" + result);
      cfws();
      if (peek('.')) {
        pos++;
        cfws();
        String property = keyword("property name after " + name + ".");
        cfws();
        expect('=', "'=' after " + name + "." + property);
        cfws();
        properties.add(new ResultProperty(name, property, pvalue(name + "." + property)));
      } else if (name.equals("reason") && peek('=') && properties.isEmpty()) {
        pos++;
        cfws();
        reason = Optional.of(pvalue("reason"));
      } else {
        throw new SyntaxError(
            "expected ptype.property=value after "
                + method
                + "="
                + result
                + ", found '"
                + name
                + "'");
      }
      comments.clear();
      cfws();
      if (comment.isEmpty() && !comments.isEmpty() && properties.isEmpty()) {
        comment = Optional.of(comments.get(0));
      }
    }
    return new MethodResult(method, methodVersion, result, reason, comment, properties);
  }

  /** A value (RFC 8601 §2.2): a quoted-string, or a token read up to CFWS or a semicolon. */
  private String value(String what) throws SyntaxError {
    if (peek('"')) {
      return quotedString(what);
    }
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t' || c == '(' || c == ';' || c == '"' || HeaderText.isControl(c)) {
        break;
      }
      pos++;
    }
    return text.substring(start, pos);
  }

  /** A pvalue: a quoted-string (optionally a quoted local part and a domain), or a run. */
  private String pvalue(String what) throws SyntaxError {
    if (peek('"')) {
      int start = pos;
      String quoted = quotedString(what);
      if (peek('@')) {
        pos++;
        String domain = value(what);
        return text.substring(start, pos - domain.length() - 1) + "@" + domain;
      }
      return quoted;
    }
    String run = value(what);
    if (run.isEmpty()) {
      throw new SyntaxError("no value for " + what);
    }
    return run;
  }

  private String quotedString(String what) throws SyntaxError {
    StringBuilder out = new StringBuilder();
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c == '\\' && pos < text.length()) {
        out.append(text.charAt(pos++));
      } else {
        out.append(c);
      }
    }
    throw new SyntaxError("unterminated quoted-string in " + what);
  }

  private String keyword(String what) throws SyntaxError {
    int start = pos;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_') {
        pos++;
      } else {
        break;
      }
    }
    if (start == pos) {
      throw new SyntaxError(
          "expected a keyword ("
              + what
              + ") at '"
              + text.substring(pos, Math.min(text.length(), pos + 20))
              + "'");
    }
    return text.substring(start, pos).toLowerCase(Locale.ROOT);
  }

  /** Skips white space and comments (nested, with quoted-pairs), collecting the comments. */
  private void cfws() throws SyntaxError {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == ' ' || c == '\t') {
        pos++;
      } else if (c == '(') {
        comments.add(comment());
      } else {
        return;
      }
    }
  }

  private String comment() throws SyntaxError {
    int depth = 0;
    StringBuilder out = new StringBuilder();
    while (pos < text.length()) {
      char c = text.charAt(pos++);
      if (c == '\\' && pos < text.length()) {
        out.append(text.charAt(pos++));
        continue;
      }
      if (c == '(') {
        if (depth++ > 0) {
          out.append(c);
        }
        if (depth > 64) {
          throw new SyntaxError("comments nested more than 64 deep");
        }
      } else if (c == ')') {
        if (--depth == 0) {
          return out.toString().strip();
        }
        out.append(c);
      } else {
        out.append(c);
      }
    }
    throw new SyntaxError("unterminated comment");
  }

  private boolean peek(char c) {
    return pos < text.length() && text.charAt(pos) == c;
  }

  private void expect(char c, String what) throws SyntaxError {
    if (!peek(c)) {
      throw new SyntaxError(
          "expected "
              + what
              + (pos < text.length()
                  ? " at '" + text.substring(pos, Math.min(text.length(), pos + 20)) + "'"
                  : " at the end"));
    }
    pos++;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
