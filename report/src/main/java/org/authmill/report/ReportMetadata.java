package org.authmill.report;

import java.util.Objects;
import java.util.Optional;

/**
 * The {@code report_metadata} of an aggregate report (RFC 9990 §3.1.1.3).
 *
 * @param orgName the Reporting Organization's name
 * @param email the contact address of the Reporting Organization
 * @param extraContactInfo additional contact details
 * @param reportId the Report-ID (RFC 9990 §3.3.1), unique among reports to the same domain
 * @param begin start of the reporting period, seconds since the epoch
 * @param end end of the reporting period, seconds since the epoch
 * @param error errors met when processing the DMARC Policy Record
 * @param generator the name and version of the report generator
 */
public record ReportMetadata(
    String orgName,
    String email,
    Optional<String> extraContactInfo,
    String reportId,
    long begin,
    long end,
    Optional<String> error,
    Optional<String> generator) {
  public ReportMetadata {
    Objects.requireNonNull(orgName, "orgName");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(extraContactInfo, "extraContactInfo");
    Objects.requireNonNull(reportId, "reportId");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(generator, "generator");
    if (end < begin) {
      throw new IllegalArgumentException("date_range end before begin: " + begin + " > " + end);
    }
  }
}
