package org.authmill.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.authmill.auth.results.AuthenticationResults;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimResult;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.spf.SpfOutcome;

/**
 * Everything authmill concluded about one inbound message: the SPF outcomes (RFC 7208), one DKIM
 * outcome per signature (RFC 6376), the DMARC outcome (RFC 9989), and the Authentication-Results
 * field that reports them (RFC 8601).
 *
 * @param spf the SPF outcome for the MAIL FROM identity (for the null reverse-path,
 *     postmaster@HELO)
 * @param helo the SPF outcome for the HELO identity, when it was checked separately
 * @param dkim one outcome per DKIM-Signature field, in message order
 * @param dmarc the DMARC outcome
 * @param authenticationResults the field to add at the top of the message
 */
public record AuthOutcome(
    SpfOutcome spf,
    Optional<SpfOutcome> helo,
    List<DkimOutcome> dkim,
    DmarcOutcome dmarc,
    AuthenticationResults authenticationResults) {

  public AuthOutcome {
    Objects.requireNonNull(spf, "spf");
    Objects.requireNonNull(helo, "helo");
    dkim = List.copyOf(dkim);
    Objects.requireNonNull(dmarc, "dmarc");
    Objects.requireNonNull(authenticationResults, "authenticationResults");
  }

  /** The message-level DKIM result: pass if any signature passed, none if there were none. */
  public DkimResult dkimSummary() {
    return DkimResult.summarize(dkim);
  }

  /**
   * The JSON view that {@code authmill check --json} prints: {@code spf}, {@code dkim} (an array),
   * {@code dmarc} and {@code authentication_results}, with RFC 8601 names as keys.
   */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("spf", spfJson(spf));
    helo.ifPresent(h -> json.put("spf_helo", spfJson(h)));
    json.put("dkim", dkim.stream().map(AuthOutcome::dkimJson).toList());
    json.put("dkim_result", dkimSummary().keyword());
    json.put("dmarc", dmarc.toJson());
    json.put("authentication_results", authenticationResults.toFieldValue());
    return json;
  }

  private static Map<String, Object> spfJson(SpfOutcome outcome) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("result", outcome.result().keyword());
    json.put("domain", outcome.domain());
    json.put(outcome.authResultsProperty(), outcome.identityValue());
    json.put("explanation", outcome.explanation().orElse(null));
    json.put("reason", outcome.reason());
    json.put("mechanism", outcome.mechanism().orElse(null));
    json.put("lookups", outcome.lookupsUsed());
    return json;
  }

  private static Map<String, Object> dkimJson(DkimOutcome outcome) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("result", outcome.result().keyword());
    // absent tags are "" in this view, as authmill check --json has always printed them
    json.put("domain", outcome.domain().orElse(""));
    json.put("selector", outcome.selector().orElse(""));
    json.put("algorithm", outcome.algorithm().orElse(""));
    json.put("key_bits", outcome.keyBits());
    json.put("identity", outcome.identity().orElse(""));
    json.put("reason", outcome.reason());
    if (outcome.bodyLengthLimit().isPresent()) {
      json.put("body_length", outcome.bodyLengthLimit().getAsLong());
    }
    if (outcome.testing()) {
      json.put("testing", true);
    }
    return json;
  }
}
