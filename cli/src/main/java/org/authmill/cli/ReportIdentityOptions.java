package org.authmill.cli;

import java.util.Optional;
import org.authmill.report.ReporterIdentity;
import picocli.CommandLine.Option;

/** Who reports: {@code --report-org NAME} and {@code --report-email ADDR}. */
final class ReportIdentityOptions {
  @Option(
      names = "--report-org",
      paramLabel = "NAME",
      description = "The Reporting Organization's name in the reports' org_name.")
  String org;

  @Option(
      names = "--report-email",
      paramLabel = "ADDR",
      description = "The contact address in the reports and their From: address.")
  String email;

  @Option(
      names = "--report-extra-contact",
      paramLabel = "TEXT",
      description = "extra_contact_info of the reports, such as a web page.")
  String extraContact;

  /** The identity, or a usage error naming what is missing when {@code required}. */
  ReporterIdentity identity(boolean required) {
    if (required && (org == null || email == null)) {
      throw new InputException("--report-org and --report-email are required");
    }
    String o = org != null ? org : "authmill";
    String e = email != null ? email : "dmarc-reports@localhost";
    try {
      ReporterIdentity base = ReporterIdentity.of(o, e);
      return new ReporterIdentity(
          base.orgName(),
          base.email(),
          base.submitter(),
          Optional.ofNullable(extraContact),
          base.generator());
    } catch (IllegalArgumentException ex) {
      throw new InputException(ex.getMessage(), ex);
    }
  }
}
