package org.authmill.dmarc;

import java.util.Objects;

/**
 * A part of a DMARC record that was ignored because of a syntax error; RFC 9989 §4.8 says such
 * parts are discarded in favour of the defaults.
 *
 * @param tag the tag name in lower case, or an empty string for a part without a tag name
 * @param message what is wrong, naming the value
 */
public record RecordProblem(String tag, String message) {
  public RecordProblem {
    Objects.requireNonNull(tag, "tag");
    Objects.requireNonNull(message, "message");
  }

  @Override
  public String toString() {
    return message;
  }
}
