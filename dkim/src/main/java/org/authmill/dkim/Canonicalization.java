package org.authmill.dkim;

import java.util.Locale;
import java.util.Optional;

/** A DKIM canonicalization algorithm for the header or the body (RFC 6376 §3.4). */
public enum Canonicalization {
  /** RFC 6376 §3.4.1 (header) and §3.4.3 (body): almost no change. */
  SIMPLE,
  /** RFC 6376 §3.4.2 (header) and §3.4.4 (body): whitespace and case normalized. */
  RELAXED;

  /** The name used in the {@code c=} tag. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The algorithm named in a {@code c=} tag, which is case-sensitive, if it is known. */
  public static Optional<Canonicalization> fromTag(String tag) {
    return switch (tag) {
      case "simple" -> Optional.of(SIMPLE);
      case "relaxed" -> Optional.of(RELAXED);
      default -> Optional.empty();
    };
  }
}
