package org.authmill.dmarc;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of verifying one DKIM signature as DMARC takes it (RFC 9989 §4.4.1 and §5.3.3): the
 * signature's {@code d=} and {@code s=} tags and its result. Only a {@code pass} yields a
 * DKIM-Authenticated Identifier.
 *
 * @param domain the {@code d=} tag of the signature
 * @param selector the {@code s=} tag of the signature (may be empty when the signature had none)
 * @param result the RFC 8601 §2.7.1 result keyword: none, pass, fail, policy, neutral, temperror or
 *     permerror; stored in lower case
 */
public record DkimCheck(String domain, String selector, String result) {
  private static final Set<String> RESULTS =
      Set.of("none", "pass", "fail", "policy", "neutral", "temperror", "permerror");

  public DkimCheck {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(result, "result");
    result = result.toLowerCase(Locale.ROOT);
    if (!RESULTS.contains(result)) {
      throw new IllegalArgumentException(
          "not a DKIM result: " + result + " (expected one of " + RESULTS + ")");
    }
  }

  /** True for {@code pass}, the only result that authenticates the signing domain. */
  public boolean passed() {
    return result.equals("pass");
  }
}
