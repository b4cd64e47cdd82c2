package org.authmill.report;

/** The names of the Micrometer meters that recording and sending publish. */
public final class ReportMetrics {
  /** Counter: messages recorded (each adds one to a row's count). */
  public static final String RECORDED = "authmill.report.rows.recorded";

  /**
   * Counter: messages whose counts were dropped because too many distinct rows were held in memory
   * (the store was down longer than the bound allows, or the traffic was too varied).
   */
  public static final String DROPPED = "authmill.report.rows.dropped";

  /** Gauge: seconds since the oldest count held in memory was recorded (0 when none is held). */
  public static final String FLUSH_LAG = "authmill.report.flush.lag";

  /** Gauge: distinct rows held in memory, waiting for the next flush. */
  public static final String HELD = "authmill.report.rows.held";

  /** Counter: flushes that failed (the store was unreachable); the counts are kept and retried. */
  public static final String FLUSH_FAILURES = "authmill.report.flush.failures";

  /** Counter: reports the relay accepted. */
  public static final String SENT = "authmill.report.sent";

  /** Counter: deliveries deferred (a 4xx reply or a connection failure; retried later). */
  public static final String DEFERRED = "authmill.report.deferred";

  /** Counter: deliveries that failed for good (5xx, or retries exhausted). */
  public static final String FAILED = "authmill.report.failed";

  /** Counter: destinations suppressed after repeated failures. */
  public static final String SUPPRESSED = "authmill.report.destinations.suppressed";

  private ReportMetrics() {}

  /** Counter: DMARC failure reports accepted by the relay. */
  public static final String FAILURE_SENT = "authmill.report.failure.sent";

  /** Counter: DMARC failure reports the relay refused or could not take. */
  public static final String FAILURE_FAILED = "authmill.report.failure.failed";

  /** Counter: failure reports not sent to an external destination without authorization. */
  public static final String FAILURE_UNAUTHORIZED = "authmill.report.failure.unauthorized";

  /**
   * Counter: failure reports dropped, tag {@code reason}: {@code rate-limit}, {@code queue-full}.
   */
  public static final String FAILURE_DROPPED = "authmill.report.failure.dropped";
}
