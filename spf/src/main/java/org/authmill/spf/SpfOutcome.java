package org.authmill.spf;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of one SPF check (RFC 7208 §2.6, §4): an immutable value holding everything the
 * Received-SPF header (§9.1), an Authentication-Results {@code spf=} clause (RFC 8601 §2.7.2) and a
 * DMARC evaluation (which needs the result and the domain) are made from. It holds no reference to
 * a resolver, so it may be cached (for at most {@link #ttl()}).
 *
 * @param result the SPF result
 * @param identity which identity was checked: MAIL FROM or HELO
 * @param identityValue the identity as an A-R property value: for {@code smtp.mailfrom} the whole
 *     MAIL FROM address ({@code postmaster@HELO} for the null reverse-path, §2.4), for {@code
 *     smtp.helo} the HELO name
 * @param domain the domain check_host() started with (the identity's domain)
 * @param clientIp the SMTP client's address (an IPv4-mapped IPv6 address given as IPv4)
 * @param helo the HELO/EHLO name as given, when one was
 * @param envelopeFrom the MAIL FROM address as given; empty for the null reverse-path
 * @param mechanism the directive that decided the result as written (such as {@code -all} or {@code
 *     include:_spf.example.net}), empty when none matched
 * @param explanation for a {@code fail}, the explanation for the sender (§6.2): the domain's {@code
 *     exp=} text or the verifier's default; otherwise empty
 * @param reason why this result, in words an operator can act on
 * @param lookupsUsed DNS-querying terms evaluated (§4.6.4), at most the limit plus one
 * @param voidLookups void lookups counted (§4.6.4)
 * @param ttl how long the outcome stays valid: the smallest TTL of the DNS answers it used (zero
 *     for temperror and for outcomes that used no DNS answer)
 */
public record SpfOutcome(
    SpfResult result,
    SpfIdentity identity,
    String identityValue,
    String domain,
    InetAddress clientIp,
    Optional<String> helo,
    Optional<String> envelopeFrom,
    Optional<String> mechanism,
    Optional<String> explanation,
    String reason,
    int lookupsUsed,
    int voidLookups,
    Duration ttl) {

  public SpfOutcome {
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(identityValue, "identityValue");
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(clientIp, "clientIp");
    Objects.requireNonNull(helo, "helo");
    Objects.requireNonNull(envelopeFrom, "envelopeFrom");
    Objects.requireNonNull(mechanism, "mechanism");
    Objects.requireNonNull(explanation, "explanation");
    Objects.requireNonNull(reason, "reason");
    if (lookupsUsed < 0 || voidLookups < 0) {
      throw new IllegalArgumentException("negative lookup count");
    }
    Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative()) {
      throw new IllegalArgumentException("negative ttl: " + ttl);
    }
  }

  /**
   * The Authentication-Results property for the identity (RFC 8601 §2.7.2), such as {@code
   * smtp.mailfrom}; its value is {@link #identityValue()}.
   */
  public String authResultsProperty() {
    return identity.authResultsProperty();
  }
}
