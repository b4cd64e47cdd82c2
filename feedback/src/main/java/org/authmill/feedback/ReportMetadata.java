package org.authmill.feedback;

import java.time.Instant;
import java.util.List;

/**
 * The {@code report_metadata} and {@code policy_published} of an aggregate report (RFC 9990 §3.1,
 * Appendix A; RFC 7489 Appendix C): who reported, which report, for which time range, and the
 * policy the reporter found. Text is trimmed; enumerated words are lower case.
 *
 * @param orgName the reporting organization ({@code org_name}; may be empty in the wild)
 * @param email the reporter's contact address
 * @param extraContactInfo further contact details, or empty
 * @param reportId the reporter's id for this report, unique within the reporter
 * @param begin start of the reported time range
 * @param end end of the reported time range
 * @param errors the reporter's {@code error} strings
 * @param generator the RFC 9990 {@code generator}, or empty
 * @param version the document's {@code version} element (RFC 9990: "1.0"), or empty
 * @param policy the policy the reporter applied
 */
public record ReportMetadata(
    String orgName,
    String email,
    String extraContactInfo,
    String reportId,
    Instant begin,
    Instant end,
    List<String> errors,
    String generator,
    String version,
    PolicyPublished policy) {
  /** Copies the list. */
  public ReportMetadata {
    errors = List.copyOf(errors);
  }

  /** The policy domain, the third part of the report's identity. */
  public String domain() {
    return policy.domain();
  }
}
