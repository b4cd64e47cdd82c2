package org.authmill.report;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * One DKIM signature's result as an aggregate report carries it in {@code auth_results} (RFC 9990
 * §3.1.1.14): the {@code d=} and {@code s=} tags and the RFC 8601 §2.7.1 result, uninterpreted with
 * respect to DMARC.
 *
 * @param domain the {@code d=} tag, lower case
 * @param selector the {@code s=} tag
 * @param result none, pass, fail, policy, neutral, temperror or permerror
 */
public record DkimAuth(String domain, String selector, String result) {
  static final Set<String> RESULTS =
      Set.of("none", "pass", "fail", "policy", "neutral", "temperror", "permerror");

  public DkimAuth {
    domain = Fields.token(domain, "DKIM domain").toLowerCase(Locale.ROOT);
    selector = Fields.token(selector, "DKIM selector");
    result = Fields.keyword(result, RESULTS, "DKIM result");
  }

  /** True for a passing signature. */
  public boolean passed() {
    return result.equals("pass");
  }

  static DkimAuth of(String domain, String selector, String result) {
    return new DkimAuth(domain, Objects.requireNonNull(selector, "selector"), result);
  }
}
