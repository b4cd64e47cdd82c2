package org.authmill.dns;

import java.util.Objects;
import java.util.Optional;

/**
 * The result of parsing text that may be malformed: a value, or the reason it could not be parsed.
 * The one shape of every parser of the toolkit: domain names ({@link DomainName}, RFC 1035 §2.3.4),
 * SPF records (RFC 7208 §4.6), DKIM key records (RFC 6376 §3.6.1), DMARC records (RFC 9989 §4.8)
 * and Authentication-Results header fields (RFC 8601 §2.2). Bad input is a value, not an exception.
 *
 * @param <T> the parsed type
 */
public sealed interface ParseResult<T> permits ParseResult.Parsed, ParseResult.Invalid {

  /** The value, when parsing succeeded. */
  Optional<T> value();

  /** What is wrong with the text, when parsing failed; empty when it succeeded. */
  Optional<String> problem();

  /** A parsed value. */
  static <T> ParseResult<T> parsed(T value) {
    return new Parsed<>(value);
  }

  /** Text that could not be parsed, and why. */
  static <T> ParseResult<T> invalid(String reason) {
    return new Invalid<>(reason);
  }

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

    @Override
    public Optional<String> problem() {
      return Optional.empty();
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

    @Override
    public Optional<String> problem() {
      return Optional.of(reason);
    }
  }
}
