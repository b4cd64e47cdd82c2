package org.authmill.report;

/**
 * What one run of {@link ReportSender#sendDue()} did.
 *
 * @param reports reports (policy domain and period) this instance claimed and worked on
 * @param sent deliveries the relay accepted
 * @param deferred deliveries to retry later (4xx, connection failure, DNS temporary failure)
 * @param failed deliveries that failed for good (5xx, retries exhausted)
 * @param suppressed deliveries skipped because the destination is suppressed
 * @param unauthorized external destinations without {@code _report._dmarc} authorization
 * @param denied destinations refused by the allow or deny list
 */
public record SendSummary(
    int reports, int sent, int deferred, int failed, int suppressed, int unauthorized, int denied) {
  /** Nothing done. */
  public static final SendSummary EMPTY = new SendSummary(0, 0, 0, 0, 0, 0, 0);

  SendSummary plus(SendSummary o) {
    return new SendSummary(
        reports + o.reports,
        sent + o.sent,
        deferred + o.deferred,
        failed + o.failed,
        suppressed + o.suppressed,
        unauthorized + o.unauthorized,
        denied + o.denied);
  }
}
