package org.authmill.dmarc;

import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of DMARC Policy Discovery (RFC 9989 §4.10.1; RFC 7489 §6.6.3 in compatibility mode).
 */
sealed interface Discovery permits Discovery.Found, Discovery.Absent, Discovery.Failed {

  /** Where the applicable record was found. */
  enum Source {
    AUTHOR_DOMAIN("the Author Domain"),
    ORGANIZATIONAL_DOMAIN("the Organizational Domain"),
    PUBLIC_SUFFIX_DOMAIN("the Public Suffix Domain");

    final String words;

    Source(String words) {
      this.words = words;
    }
  }

  /**
   * A record applies.
   *
   * @param lookup the query that found it
   * @param source where it was found
   * @param organizationalDomain the Author Domain's Organizational Domain, when the discovery
   *     determined it
   */
  record Found(PolicyLookup lookup, Source source, Optional<String> organizationalDomain)
      implements Discovery {
    public Found {
      Objects.requireNonNull(lookup, "lookup");
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(organizationalDomain, "organizationalDomain");
    }

    DmarcRecord record() {
      return lookup.record().orElseThrow();
    }
  }

  /**
   * No record applies: DMARC does not apply to the message.
   *
   * @param detail where the discovery looked
   */
  record Absent(String detail) implements Discovery {}

  /**
   * A query failed temporarily.
   *
   * @param detail which and how
   */
  record Failed(String detail) implements Discovery {}
}
