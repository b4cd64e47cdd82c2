package org.authmill.spf;

import java.util.Objects;

/**
 * What {@link SpfParser} makes of a record's text: a record, or the term that is wrong and why. A
 * record with any syntax error anywhere is a permerror (RFC 7208 §4.6).
 */
public sealed interface SpfParseResult permits SpfParseResult.Parsed, SpfParseResult.Invalid {

  /** A well-formed record. */
  record Parsed(SpfRecord record) implements SpfParseResult {
    public Parsed {
      Objects.requireNonNull(record, "record");
    }
  }

  /**
   * A malformed record.
   *
   * @param term the first bad term as written (or the whole text, for a missing version)
   * @param reason what is wrong with it, naming the rule of RFC 7208
   */
  record Invalid(String term, String reason) implements SpfParseResult {
    public Invalid {
      Objects.requireNonNull(term, "term");
      Objects.requireNonNull(reason, "reason");
    }

    /** The term and reason in one sentence, with control characters shown as escapes. */
    public String describe() {
      return "'" + Sanitizer.printable(term) + "': " + reason;
    }
  }
}
