package org.authmill.auth.results;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.authmill.dns.ParseResult;

/**
 * An Authentication-Results header field (RFC 8601 §2.2): the authentication service identifier, an
 * optional version, and the method results ({@code none} when the list is empty).
 *
 * <p>Written by {@link #toFieldValue()} on one line or by {@link #fold} on several, with values
 * quoted where RFC 8601 needs it and all text sanitized ({@link HeaderText}); parsed by {@link
 * #parse}, which accepts comments anywhere CFWS may stand, quoted strings and folding, as written
 * by authmill, OpenDKIM, OpenDMARC and dkimpy. Comments and reasons longer than 256 characters are
 * cut when written, so that no line exceeds RFC 5322's limit of 998.
 *
 * @param authservId the authentication service identifier (RFC 8601 §2.5)
 * @param version the header version, when given (RFC 8601 §2.2: only 1 exists)
 * @param results the method results, in order; empty for {@code none}
 */
public record AuthenticationResults(
    String authservId, OptionalInt version, List<MethodResult> results) {
  /** The header field name. */
  public static final String FIELD_NAME = "Authentication-Results";

  /** The width folded lines are kept within, counting the field name (RFC 5322 §2.1.1). */
  public static final int DEFAULT_LINE_WIDTH = 78;

  /** The longest field value {@link #parse} accepts. */
  public static final int MAX_PARSE_LENGTH = 64 * 1024;

  public AuthenticationResults {
    Objects.requireNonNull(authservId, "authservId");
    if (HeaderText.sanitize(authservId).isEmpty()) {
      throw new IllegalArgumentException("empty authserv-id");
    }
    Objects.requireNonNull(version, "version");
    results = List.copyOf(results);
  }

  /** A header field without a version. */
  public static AuthenticationResults of(String authservId, List<MethodResult> results) {
    return new AuthenticationResults(authservId, OptionalInt.empty(), results);
  }

  /** The field value on one line, without the field name. */
  public String toFieldValue() {
    return AuthResultsWriter.write(this);
  }

  /**
   * The field value folded: one line for the authserv-id, one for each result, further lines where
   * a result is longer than the width (counting the field name on the first line); line breaks are
   * {@code lineBreak} followed by a tab.
   *
   * @param width the line width to keep within where possible (at least 40)
   * @param lineBreak {@code "\r\n"} for a message, {@code "\n"} for a milter's header value
   */
  public String fold(int width, String lineBreak) {
    if (width < 40) {
      throw new IllegalArgumentException("width must be at least 40: " + width);
    }
    if (!lineBreak.equals("\r\n") && !lineBreak.equals("\n")) {
      throw new IllegalArgumentException("line break must be CRLF or LF");
    }
    return AuthResultsWriter.fold(this, width, lineBreak);
  }

  /**
   * The whole header field, folded at {@link #DEFAULT_LINE_WIDTH} with CRLF, without final CRLF.
   */
  public String toHeaderField() {
    return FIELD_NAME + ": " + fold(DEFAULT_LINE_WIDTH, "\r\n");
  }

  @Override
  public String toString() {
    return toFieldValue();
  }

  /**
   * Parses a field value (without the field name; with it is accepted too), folded or not. Method,
   * result, ptype and property names come back in lower case.
   */
  public static ParseResult<AuthenticationResults> parse(String fieldValue) {
    return AuthResultsParser.parse(fieldValue);
  }

  /**
   * The authserv-id of a field value, read leniently (after any CFWS, a quoted-string or a run of
   * characters up to white space, a comment or a semicolon), whatever follows it.
   */
  public static Optional<String> authservIdOf(String fieldValue) {
    return AuthResultsParser.authservId(fieldValue);
  }

  /**
   * True when a field value claims the given authserv-id, compared case-insensitively, whatever
   * comments, quoting, folding or malformed results surround it: the test RFC 8601 §5 asks a
   * receiver to apply before removing the fields that forge its own identifier.
   */
  public static boolean claims(String fieldValue, String authservId) {
    String wanted = HeaderText.sanitize(authservId);
    return !wanted.isEmpty()
        && authservIdOf(fieldValue).map(id -> id.equalsIgnoreCase(wanted)).orElse(false);
  }

  /** Checks an RFC 5321 Keyword (letters, digits, hyphens; underscores tolerated), lower-cased. */
  static String keyword(String what, String text) {
    Objects.requireNonNull(text, what);
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty " + what);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '-'
              || c == '_';
      if (!ok) {
        throw new IllegalArgumentException(what + " is not a keyword: " + text);
      }
    }
    return text.toLowerCase(Locale.ROOT);
  }
}
