package org.authmill.report;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Who sends the reports (RFC 9990 §3.1.1.3 and §3.3.2): the Reporting Organization's name, its
 * contact address (also the reports' From: address), the submitter domain that names the receiver
 * in the Subject and the file name, and the generator.
 *
 * @param orgName {@code org_name}, such as {@code Example Mail}
 * @param email {@code email} and the From: address, such as {@code dmarc-reports@example.net}
 * @param submitter the receiver's domain, by default the domain of {@code email}
 * @param extraContactInfo {@code extra_contact_info}
 * @param generator {@code generator}
 */
public record ReporterIdentity(
    String orgName,
    String email,
    String submitter,
    Optional<String> extraContactInfo,
    String generator) {
  public ReporterIdentity {
    orgName = Fields.token(Objects.requireNonNull(orgName, "orgName").strip(), "org name");
    if (orgName.isEmpty()) {
      throw new IllegalArgumentException("the report org name is empty");
    }
    email = Fields.token(Objects.requireNonNull(email, "email").strip(), "report email");
    int at = email.lastIndexOf('@');
    if (at <= 0 || at == email.length() - 1 || email.indexOf(' ') >= 0) {
      throw new IllegalArgumentException("the report email is not an address: " + email);
    }
    submitter = Fields.token(submitter, "submitter").toLowerCase(Locale.ROOT);
    Objects.requireNonNull(extraContactInfo, "extraContactInfo");
    Objects.requireNonNull(generator, "generator");
  }

  /**
   * An identity with the submitter taken from the email's domain, no extra contact information and
   * authmill as generator.
   */
  public static ReporterIdentity of(String orgName, String email) {
    String address = Objects.requireNonNull(email, "email").strip();
    int at = address.lastIndexOf('@');
    String domain = at >= 0 ? address.substring(at + 1) : "";
    return new ReporterIdentity(orgName, address, domain, Optional.empty(), defaultGenerator());
  }

  /** {@code authmill VERSION}, from the jar's manifest when packaged. */
  public static String defaultGenerator() {
    String version = ReporterIdentity.class.getPackage().getImplementationVersion();
    return "authmill " + (version == null ? "0.1.0-SNAPSHOT" : version);
  }

  /**
   * The Report-ID of the report for a policy domain and period (RFC 9990 §3.3.1): the same every
   * time, so a resent report can be recognized as such.
   */
  public String reportId(String policyDomain, long begin, int part, int parts) {
    return begin + "." + policyDomain + (parts > 1 ? "." + part : "") + "@" + submitter;
  }

  /** The metadata of a report. */
  ReportMetadata metadata(String reportId, long begin, long end) {
    return new ReportMetadata(
        orgName,
        email,
        extraContactInfo,
        reportId,
        begin,
        end,
        Optional.empty(),
        Optional.of(generator));
  }
}
