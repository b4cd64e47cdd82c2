package org.authmill.feedback;

import java.util.List;

/**
 * One sending source (IP address) of a domain's mail, over all reports in range.
 *
 * @param sourceIp the address as reported
 * @param reverseName its PTR name, or empty when none or not looked up
 * @param reportingOrgs the organizations that reported it, sorted
 * @param messages messages from it
 * @param dmarcPass messages that passed DMARC (aligned DKIM or aligned SPF passed)
 * @param dkimAligned messages whose DMARC-aligned DKIM passed
 * @param spfAligned messages whose DMARC-aligned SPF passed
 * @param dkimPass messages with some DKIM signature passing, aligned or not
 * @param spfPass messages whose SPF check passed, aligned or not
 * @param quarantined messages the receivers quarantined
 * @param rejected messages the receivers rejected
 */
public record SourceSummary(
    String sourceIp,
    String reverseName,
    List<String> reportingOrgs,
    long messages,
    long dmarcPass,
    long dkimAligned,
    long spfAligned,
    long dkimPass,
    long spfPass,
    long quarantined,
    long rejected) {
  /** Copies the list. */
  public SourceSummary {
    reportingOrgs = List.copyOf(reportingOrgs);
  }

  /** Messages that failed DMARC. */
  public long dmarcFail() {
    return messages - dmarcPass;
  }

  /** The same source with its reverse name. */
  SourceSummary withReverseName(String name) {
    return new SourceSummary(
        sourceIp,
        name,
        reportingOrgs,
        messages,
        dmarcPass,
        dkimAligned,
        spfAligned,
        dkimPass,
        spfPass,
        quarantined,
        rejected);
  }
}
