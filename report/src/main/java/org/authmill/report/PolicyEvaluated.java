package org.authmill.report;

import java.util.List;
import java.util.Set;

/**
 * The result of applying DMARC to a message (RFC 9990 §3.1.1.11): the disposition applied, the
 * DMARC-aligned DKIM and SPF results, and any override reasons.
 *
 * @param disposition none, pass (no action: passed DMARC under an enforcing policy), quarantine or
 *     reject
 * @param dkim {@code pass} when a DKIM-Authenticated Identifier was aligned, else {@code fail}
 * @param spf {@code pass} when the SPF-Authenticated Identifier was aligned, else {@code fail}
 * @param reasons override reasons, required when the disposition does not match the policy
 */
public record PolicyEvaluated(
    String disposition, String dkim, String spf, List<OverrideReason> reasons) {
  static final Set<String> DISPOSITIONS = Set.of("none", "pass", "quarantine", "reject");
  static final Set<String> ALIGNED = Set.of("pass", "fail");

  public PolicyEvaluated {
    disposition = Fields.keyword(disposition, DISPOSITIONS, "disposition");
    dkim = Fields.keyword(dkim, ALIGNED, "aligned DKIM result");
    spf = Fields.keyword(spf, ALIGNED, "aligned SPF result");
    reasons = List.copyOf(reasons);
  }
}
