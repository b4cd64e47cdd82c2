package org.authmill.arc;

import java.util.Objects;
import java.util.Optional;
import org.authmill.auth.results.MethodResult;

/**
 * The {@code arc} result of an Authentication-Results field (RFC 8617 §7.2, registered in RFC
 * 8601's registry): {@code arc=pass header.oldest-pass=N smtp.remote-ip=IP arc.chain=d1:d2}, the
 * chain status, the oldest instance whose ARC-Message-Signature still verifies, the connecting
 * client's address, and the sealers' domains oldest first. A failed chain also gets a {@code
 * reason=} (RFC 8601 §2.3) saying why.
 *
 * <p>The writer quotes the {@code arc.chain} and IPv6 values, whose colons RFC 2045 does not allow
 * in a token (RFC 8601 §2.2 pvalue), so they read {@code arc.chain="d1:d2"}; the project's parser
 * reads both forms.
 */
public final class ArcResultClauses {
  private ArcResultClauses() {}

  /**
   * The {@code arc} method result for a verification.
   *
   * @param outcome the verification
   * @param remoteIp the SMTP client's address, if known (written as {@code smtp.remote-ip})
   */
  public static MethodResult arc(ArcOutcome outcome, Optional<String> remoteIp) {
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(remoteIp, "remoteIp");
    MethodResult result = MethodResult.of("arc", outcome.cv().tag());
    if (outcome.cv() == ArcCv.FAIL) {
      result = result.withReason(outcome.reason());
    }
    if (outcome.cv() == ArcCv.PASS) {
      result = result.with("header", "oldest-pass", String.valueOf(outcome.oldestPass()));
    }
    if (remoteIp.isPresent() && !remoteIp.get().isBlank()) {
      result = result.with("smtp", "remote-ip", remoteIp.get());
    }
    if (!outcome.hops().isEmpty()) {
      result = result.with("arc", "chain", String.join(":", outcome.sealerDomains()));
    }
    return result;
  }
}
