package org.authmill.dmarc;

import java.util.Locale;
import java.util.Optional;

/**
 * A Domain Owner Assessment Policy (RFC 9989 §4.7, the {@code p}, {@code sp} and {@code np} tags),
 * also used for the disposition a receiver applies to a failing message (RFC 9989 §5.3.6).
 */
public enum DmarcPolicy {
  /** No expression of preference (monitoring mode, RFC 9989 §3.2.12). */
  NONE("none"),
  /** The mail is suspicious: deliver it to a spam folder or hold it. */
  QUARANTINE("quarantine"),
  /** Failures are a clear sign the use of the domain is not valid (RFC 9989 §7.2). */
  REJECT("reject");

  private final String keyword;

  DmarcPolicy(String keyword) {
    this.keyword = keyword;
  }

  /** The keyword as written in a record and in Authentication-Results. */
  public String keyword() {
    return keyword;
  }

  /**
   * The policy one level below this one, as {@code t=y} asks (RFC 9989 §4.7) and as RFC 7489 §6.3
   * applies to messages not selected by {@code pct}: reject becomes quarantine, quarantine becomes
   * none, none stays none.
   */
  public DmarcPolicy weaker() {
    return this == REJECT ? QUARANTINE : NONE;
  }

  /** The stricter of two policies. */
  public static DmarcPolicy stricter(DmarcPolicy a, DmarcPolicy b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  /** The policy named by a keyword, compared case-insensitively (RFC 9989 §4.8 ABNF strings). */
  public static Optional<DmarcPolicy> fromKeyword(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    for (DmarcPolicy policy : values()) {
      if (policy.keyword.equals(lower)) {
        return Optional.of(policy);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return keyword;
  }
}
