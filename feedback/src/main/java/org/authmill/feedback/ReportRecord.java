package org.authmill.feedback;

import java.util.List;

/**
 * One {@code record} of an aggregate report (RFC 9990 §3.1.1.4): the messages from one source IP
 * with one set of results. Enumerated values are lower case ({@code Pass} from a sloppy reporter
 * reads {@code pass}); absent values are the empty string.
 *
 * @param sourceIp the sending IP address as reported
 * @param count how many messages
 * @param disposition {@code none}, {@code pass}, {@code quarantine} or {@code reject}
 * @param dkim the DMARC-aligned DKIM result, {@code pass} or {@code fail}
 * @param spf the DMARC-aligned SPF result, {@code pass} or {@code fail}
 * @param reasons policy override reasons
 * @param headerFrom the RFC5322.From domain
 * @param envelopeFrom the RFC5321.MailFrom domain, or empty
 * @param envelopeTo the RFC5321.RcptTo domain, or empty
 * @param dkimResults the DKIM signatures evaluated, aligned or not
 * @param spfResults the SPF checks made
 */
public record ReportRecord(
    String sourceIp,
    long count,
    String disposition,
    String dkim,
    String spf,
    List<Reason> reasons,
    String headerFrom,
    String envelopeFrom,
    String envelopeTo,
    List<AuthResult> dkimResults,
    List<AuthResult> spfResults) {
  /** Copies the lists. */
  public ReportRecord {
    reasons = List.copyOf(reasons);
    dkimResults = List.copyOf(dkimResults);
    spfResults = List.copyOf(spfResults);
  }

  /** DMARC passes when aligned DKIM or aligned SPF passes (RFC 9989 §4.4). */
  public boolean dmarcPass() {
    return dkim.equals("pass") || spf.equals("pass");
  }

  /**
   * A policy override reason ({@code reason}): {@code type} such as {@code forwarded} or {@code
   * local_policy}, and a free comment.
   */
  public record Reason(String type, String comment) {}

  /**
   * One authentication result ({@code auth_results/dkim} or {@code auth_results/spf}).
   *
   * @param domain the d= domain (DKIM) or the checked domain (SPF)
   * @param selector the DKIM selector, or the SPF scope ({@code mfrom}, {@code helo})
   * @param result the result word, such as {@code pass} or {@code fail}
   * @param humanResult free text, or empty
   */
  public record AuthResult(String domain, String selector, String result, String humanResult) {}
}
