package org.authmill.arc;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.authmill.dkim.DkimPrimitives;

/**
 * A sealer whose ARC-Authentication-Results a receiver trusts (RFC 8617 §7.2, the local policy of a
 * receiver that honours ARC): a sealing domain, the ARC-Seal's {@code d=}, optionally only with one
 * key selector {@code s=}.
 *
 * @param domain the sealing domain, lower case
 * @param selector the selector the seal must use, if restricted
 */
public record TrustedSealer(String domain, Optional<String> selector) {
  public TrustedSealer {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    domain = check("domain", domain);
    selector = selector.map(s -> check("selector", s));
  }

  /** Parses {@code DOMAIN} or {@code DOMAIN:SELECTOR}; throws naming the problem. */
  public static TrustedSealer parse(String text) {
    Objects.requireNonNull(text, "text");
    String t = text.strip();
    int colon = t.indexOf(':');
    return colon < 0
        ? new TrustedSealer(t, Optional.empty())
        : new TrustedSealer(t.substring(0, colon), Optional.of(t.substring(colon + 1)));
  }

  /** True when this entry covers the seal of a hop. */
  public boolean covers(ArcHop hop) {
    return hop.domain().equalsIgnoreCase(domain)
        && selector.map(s -> s.equalsIgnoreCase(hop.selector())).orElse(true);
  }

  private static String check(String what, String value) {
    String lower = value.strip().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".")) {
      lower = lower.substring(0, lower.length() - 1);
    }
    if (!DkimPrimitives.isDomainName(lower)) {
      throw new IllegalArgumentException("invalid trusted sealer " + what + ": \"" + value + "\"");
    }
    return lower;
  }

  @Override
  public String toString() {
    return domain + selector.map(s -> ":" + s).orElse("");
  }
}
