package org.authmill.arc;

import java.util.Optional;

/**
 * A chain validation status (RFC 8617 §4.1.3 {@code cv=} and §5.2): {@code none} when the message
 * carries no ARC set, {@code pass} when the chain verifies, {@code fail} otherwise.
 */
public enum ArcCv {
  /** No ARC sets: there is no chain to validate. */
  NONE("none"),
  /** Every ARC-Seal and the newest ARC-Message-Signature verify. */
  PASS("pass"),
  /** The chain is malformed, a seal recorded a failure, or a signature does not verify. */
  FAIL("fail");

  private final String tag;

  ArcCv(String tag) {
    this.tag = tag;
  }

  /** The value as written in {@code cv=} and in Authentication-Results ({@code arc=}). */
  public String tag() {
    return tag;
  }

  /** The status a {@code cv=} value names; case-sensitive, as tag values are (RFC 6376 §3.2). */
  public static Optional<ArcCv> fromTag(String value) {
    for (ArcCv cv : values()) {
      if (cv.tag.equals(value)) {
        return Optional.of(cv);
      }
    }
    return Optional.empty();
  }
}
