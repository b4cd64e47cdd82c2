package org.authmill.feedback;

import java.util.List;

/**
 * A DMARC failure report (RFC 9991; RFC 6591 in the Abuse Reporting Format of RFC 5965): the fields
 * of its {@code message/feedback-report} part, what it shows of the failed message's header, and
 * the report message's own identity. Absent values are the empty string. Reports sent without an
 * ARF part (some MTAs send plain text) are read from their text where it has the usual "Sender
 * Domain:" and "Sender IP Address:" lines; {@link #arf()} is false for them.
 *
 * @param feedbackType {@code auth-failure} for DMARC (RFC 6591 §3.1), lower case
 * @param userAgent the reporter's software
 * @param sourceIp the failed message's source IP address
 * @param reportedDomain the domain reported on (the RFC5322.From domain)
 * @param arrivalDate when the failed message arrived, as written
 * @param originalMailFrom the failed message's RFC5321.MailFrom
 * @param originalRcptTo the failed message's recipients
 * @param authFailure which check failed: {@code dmarc}, {@code dkim}, {@code spf}...
 * @param identityAlignment the RFC 9991 §3.1.3 alignment, such as {@code none} or {@code dkim}
 * @param deliveryResult {@code delivered}, {@code spam}, {@code reject}...
 * @param dkimDomain the DKIM-Domain field
 * @param dkimSelector the DKIM-Selector field
 * @param spfDns the SPF-DNS field
 * @param authenticationResults the Authentication-Results fields, as written
 * @param reportingMta the Reporting-MTA field
 * @param incidents the Incidents field, 1 when absent
 * @param originalFrom the failed message's From:
 * @param originalSubject the failed message's Subject:
 * @param originalMessageId the failed message's Message-ID:
 * @param reportMessageId the report message's own Message-ID (identifies duplicates)
 * @param reportFrom the report message's From:
 * @param reportDate the report message's Date:
 * @param arf true when the report had a {@code message/feedback-report} part
 */
public record FailureReport(
    String feedbackType,
    String userAgent,
    String sourceIp,
    String reportedDomain,
    String arrivalDate,
    String originalMailFrom,
    List<String> originalRcptTo,
    String authFailure,
    String identityAlignment,
    String deliveryResult,
    String dkimDomain,
    String dkimSelector,
    String spfDns,
    List<String> authenticationResults,
    String reportingMta,
    int incidents,
    String originalFrom,
    String originalSubject,
    String originalMessageId,
    String reportMessageId,
    String reportFrom,
    String reportDate,
    boolean arf) {
  /** Copies the lists. */
  public FailureReport {
    originalRcptTo = List.copyOf(originalRcptTo);
    authenticationResults = List.copyOf(authenticationResults);
  }
}
