package org.authmill.dmarc;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * The outcome of an SPF check as DMARC takes it (RFC 9989 §4.4.2 and §5.3.3): the domain of the
 * MAIL FROM identity (the HELO identity when the reverse-path is null, RFC 7208 §2.4) and the SPF
 * result. Only a {@code pass} yields an SPF-Authenticated Identifier.
 *
 * @param domain the domain that was checked
 * @param result the RFC 7208 §2.6 result keyword (RFC 8601 §2.7.2): none, neutral, pass, fail,
 *     softfail, temperror or permerror; stored in lower case
 */
public record SpfCheck(String domain, String result) {
  private static final Set<String> RESULTS =
      Set.of("none", "neutral", "pass", "fail", "softfail", "temperror", "permerror", "policy");

  public SpfCheck {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(result, "result");
    result = result.toLowerCase(Locale.ROOT);
    if (!RESULTS.contains(result)) {
      throw new IllegalArgumentException(
          "not an SPF result: " + result + " (expected one of " + RESULTS + ")");
    }
  }

  /** True for {@code pass}, the only result that authenticates the domain. */
  public boolean passed() {
    return result.equals("pass");
  }
}
