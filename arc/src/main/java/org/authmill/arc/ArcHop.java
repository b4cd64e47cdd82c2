package org.authmill.arc;

import java.util.Objects;
import java.util.Optional;
import org.authmill.auth.results.AuthenticationResults;

/**
 * One ARC set as verified: who sealed it and what its sealer recorded (RFC 8617 §4.1).
 *
 * @param instance the set's instance {@code i=}
 * @param domain the sealer's domain, the ARC-Seal's {@code d=}
 * @param selector the ARC-Seal's key selector {@code s=}
 * @param cv the chain status the sealer recorded ({@code cv=})
 * @param signatureDomain the ARC-Message-Signature's {@code d=} (usually the same as {@code
 *     domain})
 * @param signatureSelector the ARC-Message-Signature's {@code s=}
 * @param resultsText the ARC-Authentication-Results payload after {@code i=N;}, as written
 * @param results that payload parsed (RFC 8601 §2.2), when it parses
 */
public record ArcHop(
    int instance,
    String domain,
    String selector,
    ArcCv cv,
    String signatureDomain,
    String signatureSelector,
    String resultsText,
    Optional<AuthenticationResults> results) {
  public ArcHop {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(selector, "selector");
    Objects.requireNonNull(cv, "cv");
    Objects.requireNonNull(signatureDomain, "signatureDomain");
    Objects.requireNonNull(signatureSelector, "signatureSelector");
    Objects.requireNonNull(resultsText, "resultsText");
    Objects.requireNonNull(results, "results");
  }

  /** The authserv-id of the sealer's ARC-Authentication-Results, when it parses. */
  public Optional<String> authservId() {
    return results.map(AuthenticationResults::authservId);
  }

  static ArcHop of(ArcSealField seal, ArcSignatureField signature, ArcResultsField results) {
    return new ArcHop(
        seal.instance(),
        seal.domain(),
        seal.selector(),
        seal.cv(),
        signature.domain(),
        signature.selector(),
        results.payload(),
        results.results());
  }
}
