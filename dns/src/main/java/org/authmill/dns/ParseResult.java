package org.authmill.dmarc;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of parsing text that may be malformed: a value, or the reason it could not be parsed.
 * Used for DMARC records (RFC 9989 §4.8) and Authentication-Results header fields (RFC 8601 §2.2).
 *
 * @param <T> the parsed type
 */
public sealed interface ParseResult<T> permits ParseResult.Parsed, ParseResult.Invalid {

  /** The value, when parsing succeeded. */
  Optional<T> value();

  /**
   * Parsing succeeded.
   *
   * @param parsed the value
   */
  record Parsed<T>(T parsed) implements ParseResult<T> {
    public Parsed {
      Objects.requireNonNull(parsed, "parsed");
    }

    @Override
    public Optional<T> value() {
      return Optional.of(parsed);
    }
  }

  /**
   * The text is not of the expected form.
   *
   * @param reason what is wrong, naming the offending text
   */
  record Invalid<T>(String reason) implements ParseResult<T> {
    public Invalid {
      Objects.requireNonNull(reason, "reason");
    }

    @Override
    public Optional<T> value() {
      return Optional.empty();
    }
  }
}
