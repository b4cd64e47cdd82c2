package org.authmill.auth.results;

import java.util.Optional;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.dmarc.DmarcResult;
import org.authmill.dmarc.DomainEvaluation;

/**
 * The spf, dkim and dmarc results of an Authentication-Results field with their RFC 8601 §2.7
 * properties: {@code smtp.mailfrom} and {@code smtp.helo} (§2.7.2), {@code header.d}, {@code
 * header.i}, {@code header.s}, {@code header.a} and {@code header.b} (§2.7.1, RFC 6008), and for
 * DMARC {@code header.from} and {@code policy.dmarc} (RFC 9989 §9.1), with a comment in the style
 * OpenDMARC uses: {@code (p=reject dis=none)}.
 */
public final class AuthResultClauses {
  private AuthResultClauses() {}

  /**
   * An SPF result for the MAIL FROM identity (RFC 7208 §9.1, RFC 8601 §2.7.2).
   *
   * @param result the SPF result keyword
   * @param mailFrom the MAIL FROM address or domain ({@code postmaster@helo} for a null path)
   */
  public static MethodResult spfMailFrom(String result, String mailFrom) {
    return MethodResult.of("spf", result).with("smtp", "mailfrom", mailFrom);
  }

  /**
   * An SPF result for the HELO identity (RFC 7208 §2.3, RFC 8601 §2.7.2).
   *
   * @param result the SPF result keyword
   * @param helo the HELO/EHLO domain
   */
  public static MethodResult spfHelo(String result, String helo) {
    return MethodResult.of("spf", result).with("smtp", "helo", helo);
  }

  /**
   * A DKIM result for one signature (RFC 8601 §2.7.1, RFC 6008).
   *
   * @param result the DKIM result keyword
   * @param domain the signature's {@code d=}
   * @param selector the signature's {@code s=}, if known
   * @param algorithm the signature's {@code a=}, if known
   * @param signaturePrefix the {@code header.b} prefix from {@link SignaturePrefixes}, if known
   */
  public static MethodResult dkim(
      String result,
      String domain,
      Optional<String> selector,
      Optional<String> algorithm,
      Optional<String> signaturePrefix) {
    MethodResult r = MethodResult.of("dkim", result).with("header", "d", domain);
    if (selector.isPresent() && !selector.get().isEmpty()) {
      r = r.with("header", "s", selector.get());
    }
    if (algorithm.isPresent() && !algorithm.get().isEmpty()) {
      r = r.with("header", "a", algorithm.get());
    }
    if (signaturePrefix.isPresent() && !signaturePrefix.get().isEmpty()) {
      r = r.with("header", "b", signaturePrefix.get());
    }
    return r;
  }

  /**
   * The dmarc result of a message: that of the deciding Author Domain (the only one for a message
   * with one From: domain), or, when the message-level result differs from it (a repeated or
   * malformed From: field, an incomplete evaluation, no domain at all), the message-level result
   * with its reason as a comment and the deciding domain as {@code header.from}. Only one dmarc
   * result is written, so that no reader can take a {@code pass} of one of several domains for the
   * message's.
   */
  public static MethodResult dmarc(DmarcOutcome outcome) {
    Optional<DomainEvaluation> deciding = outcome.deciding();
    if (deciding.isPresent() && deciding.get().result() == outcome.result()) {
      MethodResult r = dmarc(deciding.get());
      int others = outcome.evaluations().size() - 1;
      if (others > 0) {
        r =
            r.withComment(
                r.comment().map(c -> c + "; ").orElse("")
                    + "worst of "
                    + outcome.evaluations().size()
                    + " author domains");
      }
      return r;
    }
    MethodResult r =
        MethodResult.of("dmarc", outcome.result().keyword())
            .withComment(HeaderText.reason(outcome.reason()));
    if (outcome.authorDomain().isPresent()) {
      r = r.with("header", "from", outcome.authorDomain().get());
    }
    return r;
  }

  /**
   * The dmarc result of one Author Domain: {@code dmarc=fail (p=reject dis=quarantine)
   * header.from=example.com policy.dmarc=quarantine}. The comment names the tag that gave the
   * policy ({@code p}, {@code sp} or {@code np}) and the disposition; {@code policy.dmarc} is the
   * policy after {@code t=y} for a failing message, else the policy that applies.
   */
  public static MethodResult dmarc(DomainEvaluation e) {
    MethodResult r = MethodResult.of("dmarc", e.result().keyword());
    if (e.policy().isPresent() && e.policyTag().isPresent()) {
      r =
          r.withComment(
              e.policyTag().get().tag()
                  + "="
                  + e.policy().get().keyword()
                  + " dis="
                  + e.disposition().keyword()
                  + (e.testing() ? " t=y" : "")
                  + (e.sampledOut() ? " pct" : ""));
    } else if (e.result() != DmarcResult.NONE) {
      r = r.withComment(HeaderText.reason(e.reason()));
    }
    r = r.with("header", "from", e.authorDomain());
    if (e.policy().isPresent()) {
      DmarcPolicy applied = e.result() == DmarcResult.FAIL ? e.disposition() : e.policy().get();
      r = r.with("policy", "dmarc", applied.keyword());
    }
    return r;
  }
}
