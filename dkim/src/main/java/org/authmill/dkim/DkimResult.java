package org.authmill.dkim;

import java.util.List;

/**
 * The result of verifying one DKIM signature, named by the RFC 8601 §2.7.1 keywords for the {@code
 * dkim} method. {@link #NONE} is a message-level result only: the message carried no signature.
 */
public enum DkimResult {
  /** The message carried no DKIM-Signature header field (RFC 8601 §2.7.1). */
  NONE,
  /** The signature verified (RFC 6376 §6.1.3 SUCCESS). */
  PASS,
  /**
   * The signature was acceptable but did not verify: body hash or signature mismatch, expired,
   * revoked key, an algorithm or key size that RFC 8301 forbids (RFC 6376 §6.1 PERMFAIL).
   */
  FAIL,
  /** Not used by the verifier itself; kept for RFC 8601 completeness (an unsigned message). */
  NEUTRAL,
  /** The signature was not evaluated because of local policy, such as a configured limit. */
  POLICY,
  /** A transient failure, such as a DNS timeout while fetching the key (RFC 6376 §6.1 TEMPFAIL). */
  TEMPERROR,
  /**
   * A permanent error that makes the signature unverifiable: a malformed signature or key record,
   * no key published, a missing required tag (RFC 6376 §6.1.1, §6.1.2).
   */
  PERMERROR;

  /** The RFC 8601 keyword, lower case: {@code pass}, {@code fail}, ... */
  public String keyword() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The message-level result of a set of signature outcomes: {@link #PASS} if any signature passed,
   * {@link #NONE} if there were none, otherwise the most hopeful of the others in the order
   * temperror, fail, policy, neutral, permerror (a temporary error may pass when tried again).
   */
  public static DkimResult summarize(List<DkimOutcome> outcomes) {
    if (outcomes.isEmpty()) {
      return NONE;
    }
    DkimResult best = null;
    for (DkimOutcome outcome : outcomes) {
      if (best == null || rank(outcome.result()) < rank(best)) {
        best = outcome.result();
      }
    }
    return best;
  }

  private static int rank(DkimResult result) {
    return switch (result) {
      case PASS -> 0;
      case TEMPERROR -> 1;
      case FAIL -> 2;
      case POLICY -> 3;
      case NEUTRAL -> 4;
      case PERMERROR -> 5;
      case NONE -> 6;
    };
  }
}
