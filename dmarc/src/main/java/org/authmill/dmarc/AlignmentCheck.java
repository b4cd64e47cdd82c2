package org.authmill.dmarc;

import java.util.Objects;
import java.util.Optional;

/**
 * The identifier alignment check of one SPF or DKIM outcome against the Author Domain (RFC 9989
 * §5.3.4).
 *
 * @param mechanism SPF or DKIM
 * @param domain the authenticated (or claimed) domain, normalized when it is a valid name
 * @param selector the DKIM selector; empty for SPF
 * @param result the mechanism's result keyword
 * @param mode the record's alignment mode for this mechanism
 * @param alignment the outcome of the check
 * @param reason why, in words
 */
public record AlignmentCheck(
    AuthMechanism mechanism,
    String domain,
    Optional<String> selector,
    String result,
    AlignmentMode mode,
    Alignment alignment,
    String reason) {
  public AlignmentCheck {
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(alignment, "alignment");
    Objects.requireNonNull(reason, "reason");
  }

  /** True when the mechanism passed and its domain is aligned: this alone makes DMARC pass. */
  public boolean alignedPass() {
    return result.equals("pass") && alignment.aligned();
  }
}
