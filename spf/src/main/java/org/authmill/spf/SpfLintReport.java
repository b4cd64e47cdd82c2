package org.authmill.spf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link SpfLinter} found in a domain's published SPF record and everything it includes: the
 * numbers that RFC 7208 limits (§4.6.4 DNS-querying terms and void lookups, §3.4 record size) and
 * findings with advice.
 *
 * @param domain the domain linted
 * @param record the record's text, if exactly one was found
 * @param recordBytes the record's length in octets (0 without a record)
 * @param dnsTerms DNS-querying terms counted through every include and redirect (limit 10)
 * @param voidLookups names in those terms that answered NXDOMAIN or NODATA (limit 2)
 * @param findings errors, warnings and notes, most severe first
 */
public record SpfLintReport(
    String domain,
    Optional<String> record,
    int recordBytes,
    int dnsTerms,
    int voidLookups,
    List<Finding> findings) {

  /** How serious a finding is. */
  public enum Severity {
    /** The record gives permerror or temperror, or does not work as published. */
    ERROR,
    /** The record works but is risky or close to a limit. */
    WARNING,
    /** Worth knowing. */
    NOTE
  }

  /** One finding and what to do about it. */
  public record Finding(Severity severity, String message) {
    public Finding {
      Objects.requireNonNull(severity, "severity");
      Objects.requireNonNull(message, "message");
    }
  }

  public SpfLintReport {
    Objects.requireNonNull(domain, "domain");
    Objects.requireNonNull(record, "record");
    findings = findings.stream().sorted((a, b) -> a.severity().compareTo(b.severity())).toList();
  }

  /** True when any finding is an error. */
  public boolean hasErrors() {
    return findings.stream().anyMatch(f -> f.severity() == Severity.ERROR);
  }
}
