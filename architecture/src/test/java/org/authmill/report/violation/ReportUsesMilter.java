package org.authmill.report.violation;

import org.authmill.milter.Verdict;

/** Breaks {@code report_importsNoMilterServerOrCli}: reporting that knows the milter protocol. */
public final class ReportUsesMilter {
  private ReportUsesMilter() {}

  static Object verdict() {
    return Verdict.PROCEED;
  }
}
