package org.authmill.report;

import java.util.Locale;
import java.util.Set;

/**
 * The SPF result as an aggregate report carries it in {@code auth_results} (RFC 9990 §3.1.1.15):
 * the domain checked, its scope (only {@code mfrom} is defined) and the RFC 8601 §2.7.2 result.
 *
 * @param domain the domain that was checked, lower case
 * @param scope {@code mfrom}
 * @param result none, pass, fail, softfail, policy, neutral, temperror or permerror
 */
public record SpfAuth(String domain, String scope, String result) {
  static final Set<String> RESULTS =
      Set.of("none", "pass", "fail", "softfail", "policy", "neutral", "temperror", "permerror");

  public SpfAuth {
    domain = Fields.token(domain, "SPF domain").toLowerCase(Locale.ROOT);
    scope = Fields.keyword(scope, Set.of("mfrom"), "SPF scope");
    result = Fields.keyword(result, RESULTS, "SPF result");
  }

  /** The MAIL FROM result for a domain. */
  public static SpfAuth mfrom(String domain, String result) {
    return new SpfAuth(domain, "mfrom", result);
  }
}
