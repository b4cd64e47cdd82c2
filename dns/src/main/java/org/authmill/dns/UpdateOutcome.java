package org.authmill.dns;

import java.util.Objects;

/**
 * What became of one DNS UPDATE (RFC 2136 §3.8): applied, or why not, in words an operator can act
 * on. Verdicts are values: a refusal or a timeout is an outcome, never an exception.
 *
 * @param status the kind of outcome
 * @param reason what happened and what to do about it
 */
public record UpdateOutcome(Status status, String reason) {
  /** The kinds of outcome. */
  public enum Status {
    /** The primary applied the update (RCODE NOERROR). */
    APPLIED,
    /**
     * The primary refused the update (RCODE REFUSED, RFC 2136 §3.3): its policy does not allow it,
     * or the zone is frozen.
     */
    REFUSED,
    /**
     * The primary did not accept the TSIG signature (RCODE NOTAUTH with TSIG error BADKEY, BADSIG
     * or BADTIME, RFC 8945 §5.2), or its policy does not allow this key to update the zone.
     */
    NOTAUTH,
    /**
     * The zone was not found: the primary is not authoritative for it, or the name is not within it
     * (RCODE NOTZONE, or NOTAUTH without a TSIG error, RFC 2136 §2.3, §3.1.1).
     */
    NOTZONE,
    /** No answer from the primary in time. */
    TIMEOUT,
    /** Any other failure: another RCODE, an unreachable server, a response that does not verify. */
    FAILED
  }

  /** Validates. */
  public UpdateOutcome {
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(reason, "reason");
  }

  /** True when the update was applied. */
  public boolean applied() {
    return status == Status.APPLIED;
  }
}
