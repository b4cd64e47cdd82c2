package org.authmill.auth.results;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.dmarc.DmarcResult;
import org.authmill.dmarc.DomainEvaluation;
import org.authmill.spf.SpfOutcome;
import org.authmill.spf.SpfResult;

/**
 * The spf, dkim and dmarc results of an Authentication-Results field, made from the engines'
 * outcomes ({@link SpfOutcome}, {@link DkimOutcome}, {@link DmarcOutcome}); the one place these
 * clauses are written. Their RFC 8601 §2.7 properties: {@code smtp.mailfrom} and {@code smtp.helo}
 * (§2.7.2), {@code header.d}, {@code header.i}, {@code header.s}, {@code header.a} and {@code
 * header.b} (§2.7.1, RFC 6008), and for DMARC {@code header.from} and {@code policy.dmarc} (RFC
 * 9989 §9.1), with a comment in the style OpenDMARC uses: {@code (p=reject dis=none)}.
 */
public final class AuthResultClauses {
  private AuthResultClauses() {}

  /**
   * The spf result of one SPF check (RFC 7208 §9.1, RFC 8601 §2.7.2): {@code smtp.mailfrom} (the
   * whole MAIL FROM address, {@code postmaster@helo} for a null path) or {@code smtp.helo}, with
   * the reason as a comment for every result but pass and none.
   */
  public static MethodResult spf(SpfOutcome outcome) {
    MethodResult result = MethodResult.of("spf", outcome.result().keyword());
    if (outcome.result() != SpfResult.PASS && outcome.result() != SpfResult.NONE) {
      result = result.withComment(HeaderText.reason(outcome.reason()));
    }
    return result.with(
        "smtp", outcome.authResultsProperty().substring("smtp.".length()), outcome.identityValue());
  }

  /**
   * The dkim results of a message (RFC 8601 §2.7.1, RFC 6008): {@code dkim=none} without a
   * signature; else one result per signature for the first {@code limit}, with the shortest
   * distinct {@code header.b} prefixes ({@link SignaturePrefixes}), and one {@code dkim=policy}
   * result that counts the rest: a message with a thousand DKIM-Signature fields must not make the
   * field a thousand results long.
   *
   * @param outcomes one outcome per signature, in message order
   * @param limit the most signatures that were evaluated (the verifier's bound)
   */
  public static List<MethodResult> dkim(List<DkimOutcome> outcomes, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1: " + limit);
    }
    if (outcomes.isEmpty()) {
      return List.of(MethodResult.of("dkim", "none"));
    }
    int shown = Math.min(outcomes.size(), limit);
    List<String> prefixes =
        SignaturePrefixes.of(
            outcomes.subList(0, shown).stream().map(DkimOutcome::signatureData).toList());
    List<MethodResult> results = new ArrayList<>(shown + 1);
    for (int i = 0; i < shown; i++) {
      results.add(dkim(outcomes.get(i), prefixes.get(i)));
    }
    if (outcomes.size() > shown) {
      results.add(
          MethodResult.of("dkim", "policy")
              .withReason(
                  (outcomes.size() - shown)
                      + " more DKIM-Signature fields not evaluated (limit "
                      + limit
                      + ")"));
    }
    return results;
  }

  /**
   * The dkim result of one signature: {@code header.d}, and {@code header.s}, {@code header.a} and
   * {@code header.b} when known; the reason for every result but pass.
   *
   * @param signaturePrefix the {@code header.b} value, or empty to leave it out
   */
  static MethodResult dkim(DkimOutcome outcome, String signaturePrefix) {
    MethodResult r =
        MethodResult.of("dkim", outcome.result().keyword()).with("header", "d", outcome.domain());
    if (!outcome.selector().isEmpty()) {
      r = r.with("header", "s", outcome.selector());
    }
    if (!outcome.algorithm().isEmpty()) {
      r = r.with("header", "a", outcome.algorithm());
    }
    if (!signaturePrefix.isEmpty()) {
      r = r.with("header", "b", signaturePrefix);
    }
    if (!outcome.passed()) {
      r = r.withReason(HeaderText.reason(outcome.reason()));
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
