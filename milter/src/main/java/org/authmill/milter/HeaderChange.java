package org.authmill.milter;

import java.util.Objects;

/**
 * A change to the message's header section that a filter asks for at the end of a message (RFC 5322
 * §2.2 fields). Names are field names ({@code Authentication-Results}); values are what follows
 * {@code "name: "}, without that space, folded with LF + whitespace (a CRLF given is turned into
 * LF, the form the milter protocol carries), no trailing line break.
 *
 * <p>Occurrence numbers of {@link Change} and {@link Delete} count the fields of that name
 * (case-insensitively) in the message <em>as received</em>, from 1. The server applies changes and
 * deletions first, each name's highest occurrence first, so those numbers never shift; then
 * insertions, then additions.
 */
public sealed interface HeaderChange {
  /** The field name this change concerns. */
  String name();

  /** Append a field after the last one. */
  record Add(String name, String value) implements HeaderChange {
    /** Validates and normalises folding. */
    public Add {
      checkName(name);
      value = checkValue(value);
    }
  }

  /** Insert a field at a position: 0 is the very top of the header. */
  record Insert(int index, String name, String value) implements HeaderChange {
    /** Validates and normalises folding. */
    public Insert {
      if (index < 0) {
        throw new IllegalArgumentException("insert index must be 0 or more: " + index);
      }
      checkName(name);
      value = checkValue(value);
    }
  }

  /** Replace the value of the {@code occurrence}-th field of that name. */
  record Change(String name, int occurrence, String value) implements HeaderChange {
    /** Validates and normalises folding. */
    public Change {
      checkName(name);
      checkOccurrence(occurrence);
      value = checkValue(value);
      if (value.isEmpty()) {
        throw new IllegalArgumentException("use Delete to remove a field, not an empty Change");
      }
    }
  }

  /** Remove the {@code occurrence}-th field of that name. */
  record Delete(String name, int occurrence) implements HeaderChange {
    /** Validates. */
    public Delete {
      checkName(name);
      checkOccurrence(occurrence);
    }
  }

  private static void checkOccurrence(int occurrence) {
    if (occurrence < 1) {
      throw new IllegalArgumentException("occurrence counts from 1: " + occurrence);
    }
  }

  /** RFC 5322 §3.6.8: a field name is 1*ftext, printable ASCII except colon. */
  private static void checkName(String name) {
    Objects.requireNonNull(name, "name");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("empty header field name");
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 33 || c > 126 || c == ':') {
        throw new IllegalArgumentException("invalid character in header field name: " + name);
      }
    }
  }

  private static String checkValue(String value) {
    Objects.requireNonNull(value, "value");
    String v = value.replace("\r\n", "\n");
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '\r' || c == '\0') {
        throw new IllegalArgumentException("header value holds a bare CR or NUL");
      }
      if (c == '\n'
          && (i + 1 == v.length() || (v.charAt(i + 1) != ' ' && v.charAt(i + 1) != '\t'))) {
        throw new IllegalArgumentException(
            "a line break in a header value must be followed by whitespace (folding)");
      }
    }
    return v;
  }
}
