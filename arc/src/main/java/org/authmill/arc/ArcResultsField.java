package org.authmill.arc;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.authmill.auth.results.AuthenticationResults;

/**
 * One ARC-Authentication-Results header field (RFC 8617 §4.1.1): {@code i=} the instance, then an
 * Authentication-Results payload (RFC 8601 §2.2), which is kept as text and, when it parses, as
 * {@link AuthenticationResults}. A payload that does not parse does not make the field invalid: the
 * seal covers it either way.
 *
 * @param payload the text after {@code i=N;}, unfolded and trimmed
 * @param raw the field as received, without the final CRLF
 */
record ArcResultsField(
    int instance, String payload, Optional<AuthenticationResults> results, byte[] raw) {
  static final String NAME = "arc-authentication-results";

  /** Parses a raw field; throws naming the problem. */
  static ArcResultsField parse(byte[] raw) throws ArcHeaderException {
    String what = "ARC-Authentication-Results";
    String value = ArcTags.value(raw);
    int p = skipWhitespace(value, 0);
    if (p >= value.length() || value.charAt(p) != 'i') {
      throw new ArcHeaderException(what + " does not start with i= (RFC 8617 §4.1.1)");
    }
    p = skipWhitespace(value, p + 1);
    if (p >= value.length() || value.charAt(p) != '=') {
      throw new ArcHeaderException(what + " does not start with i= (RFC 8617 §4.1.1)");
    }
    p = skipWhitespace(value, p + 1);
    int start = p;
    while (p < value.length() && value.charAt(p) >= '0' && value.charAt(p) <= '9') {
      p++;
    }
    int instance = ArcTags.instance(what, value.substring(start, p));
    p = skipWhitespace(value, p);
    if (p >= value.length() || value.charAt(p) != ';') {
      throw new ArcHeaderException(
          what + " i=" + instance + " has no ';' after the instance (RFC 8617 §4.1.1)");
    }
    String payload = unfold(value.substring(p + 1)).strip();
    Optional<AuthenticationResults> results =
        payload.length() > AuthenticationResults.MAX_PARSE_LENGTH
            ? Optional.empty()
            : AuthenticationResults.parse(
                    new String(
                        payload.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8))
                .value();
    return new ArcResultsField(instance, payload, results, raw);
  }

  private static int skipWhitespace(String text, int from) {
    int i = from;
    while (i < text.length()
        && (text.charAt(i) == ' '
            || text.charAt(i) == '\t'
            || text.charAt(i) == '\r'
            || text.charAt(i) == '\n')) {
      i++;
    }
    return i;
  }

  private static String unfold(String text) {
    return text.replace("\r\n", "").replace("\n", "").replaceAll("[ \t]+", " ");
  }
}
