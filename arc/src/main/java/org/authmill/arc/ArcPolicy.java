package org.authmill.arc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.authmill.auth.results.AuthenticationResults;
import org.authmill.auth.results.MethodResult;

/**
 * A receiver's ARC policy (RFC 8617 §7.2): the sealers it trusts. {@link #apply} adds the {@code
 * arc} result to the receiver's Authentication-Results and, where a trusted sealer earns it, the
 * DMARC override ({@link ArcOverride}).
 *
 * @param trusted the trusted sealers (empty: ARC is reported, never overrides)
 */
public record ArcPolicy(List<TrustedSealer> trusted) {
  public ArcPolicy {
    trusted = List.copyOf(trusted);
  }

  /**
   * The receiver's Authentication-Results with the {@code arc} result appended and, when DMARC
   * failed and a trusted sealer recorded an aligned pass, each {@code dmarc} result annotated
   * ({@code policy.override=arc} and a comment naming the sealer).
   *
   * @param results the receiver's field, without an arc result
   * @param dmarcFailed whether the receiver's DMARC evaluation failed
   * @param fromDomain the author domain DMARC evaluated, if any
   * @param arc the verification of the chain the message arrived with
   * @param remoteIp the SMTP client's address, if known
   */
  public Applied apply(
      AuthenticationResults results,
      boolean dmarcFailed,
      Optional<String> fromDomain,
      ArcOutcome arc,
      Optional<String> remoteIp) {
    Optional<ArcOverride> override =
        fromDomain.flatMap(from -> ArcOverride.evaluate(dmarcFailed, from, arc, trusted));
    List<MethodResult> list = new ArrayList<>();
    for (MethodResult r : results.results()) {
      list.add(override.isPresent() && r.method().equals("dmarc") ? override.get().annotate(r) : r);
    }
    list.add(ArcResultClauses.arc(arc, remoteIp));
    return new Applied(
        new AuthenticationResults(results.authservId(), results.version(), list), arc, override);
  }

  /**
   * The policy applied to one message.
   *
   * @param results the Authentication-Results to add, with the arc result
   * @param arc the chain's verification
   * @param override the DMARC override, when a trusted sealer earned one
   */
  public record Applied(
      AuthenticationResults results, ArcOutcome arc, Optional<ArcOverride> override) {
    public Applied {
      Objects.requireNonNull(results, "results");
      Objects.requireNonNull(arc, "arc");
      Objects.requireNonNull(override, "override");
    }

    /** The field value after the authserv-id, as an ARC-Authentication-Results records it. */
    public String resultsAfterAuthservId() {
      String value = results.toFieldValue();
      int semicolon = value.indexOf(';');
      return semicolon < 0 ? "none" : value.substring(semicolon + 1).strip();
    }
  }
}
