package org.authmill.store.violation;

import org.authmill.report.ReportPeriod;

/** Breaks {@code store_importsNoOtherModule}: the store that knows a feature using it. */
public final class StoreUsesReport {
  private StoreUsesReport() {}

  static ReportPeriod period() {
    return ReportPeriod.UTC_DAY;
  }
}
