package org.authmill.spf;

import java.util.Objects;

/**
 * The {@code Received-SPF} header field of RFC 7208 §9.1 for one {@link SpfOutcome}: the result, a
 * comment in words, and the key-value pairs {@code receiver}, {@code client-ip}, {@code
 * envelope-from}, {@code helo}, {@code identity} and {@code mechanism} (or {@code problem} for
 * permerror and temperror).
 *
 * <p>Everything that came from the DNS or the SMTP client is reduced to printable US-ASCII, so no
 * CR, LF or other control character can reach the header; values that are not a dot-atom are
 * written as quoted-strings and comment text is escaped (RFC 5322 §3.2). The value is one line;
 * fold it where it is inserted if needed.
 *
 * @param outcome the SPF outcome
 * @param receiver the host name of the receiver (the {@code receiver=} key and the comment)
 */
public record ReceivedSpf(SpfOutcome outcome, String receiver) {

  /** The header field's name. */
  public static final String NAME = "Received-SPF";

  /** How many characters of a value taken from outside are kept. */
  static final int MAX_VALUE = 200;

  public ReceivedSpf {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(receiver, "receiver");
  }

  /** The field body (after {@code "Received-SPF:"}), on one line. */
  public String value() {
    SpfOutcome o = outcome;
    String ip = Addresses.readable(o.clientIp());
    String who =
        o.identity() == SpfIdentity.HELO
            ? "HELO name " + clean(o.identityValue())
            : "domain of " + clean(o.identityValue());
    String comment =
        switch (o.result()) {
          case PASS -> who + " designates " + ip + " as permitted sender";
          case FAIL -> who + " does not designate " + ip + " as permitted sender";
          case SOFTFAIL ->
              "transitioning " + who + " does not designate " + ip + " as permitted sender";
          case NEUTRAL -> ip + " is neither permitted nor denied by " + who;
          case NONE -> who + " does not designate permitted sender hosts";
          case PERMERROR -> "permanent error in processing " + who;
          case TEMPERROR -> "temporary error in processing " + who;
        };
    StringBuilder out = new StringBuilder();
    out.append(o.result().keyword())
        .append(" (")
        .append(escapeComment(clean(receiver) + ": " + comment))
        .append(")");
    // RFC 7208 §9.1: result FWS [comment FWS] [key-value-list]; no ";" before the first pair.
    out.append(' ').append("receiver=").append(quote(clean(receiver)));
    pair(out, "client-ip", ip);
    if (o.identity() == SpfIdentity.MAILFROM) {
      pair(out, "envelope-from", o.identityValue());
    } else if (o.envelopeFrom().isPresent()) {
      pair(out, "envelope-from", o.envelopeFrom().get());
    }
    if (o.helo().isPresent()) {
      pair(out, "helo", o.helo().get());
    }
    pair(out, "identity", o.identity().keyword());
    if (o.result() == SpfResult.PERMERROR || o.result() == SpfResult.TEMPERROR) {
      pair(out, "problem", o.reason());
    } else {
      pair(out, "mechanism", o.mechanism().orElse("default"));
    }
    return out.toString();
  }

  /** The whole field, {@code "Received-SPF: " + value()}, without the final CRLF. */
  public String field() {
    return NAME + ": " + value();
  }

  @Override
  public String toString() {
    return field();
  }

  private static void pair(StringBuilder out, String key, String value) {
    out.append("; ").append(key).append('=').append(quote(clean(value)));
  }

  private static String clean(String text) {
    return Sanitizer.printable(text.replace("§", "section "), MAX_VALUE);
  }

  /** A dot-atom as is, anything else as a quoted-string (RFC 5322 §3.2.3, §3.2.4). */
  static String quote(String value) {
    if (isDotAtom(value)) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '"' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.append('"').toString();
  }

  private static boolean isDotAtom(String value) {
    if (value.isEmpty() || value.startsWith(".") || value.endsWith(".") || value.contains("..")) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean atext =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-/=?^_`{|}~.".indexOf(c) >= 0;
      if (!atext) {
        return false;
      }
    }
    return true;
  }

  private static String escapeComment(String text) {
    StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '(' || c == ')' || c == '\\') {
        out.append('\\');
      }
      out.append(c);
    }
    return out.toString();
  }
}
