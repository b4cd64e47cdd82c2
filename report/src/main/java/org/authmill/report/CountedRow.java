package org.authmill.report;

import java.util.Objects;

/**
 * One {@code record} of an aggregate report: a row and how many messages it stands for.
 *
 * @param row what the record says
 * @param count the number of messages, at least 1
 */
public record CountedRow(ReportRow row, long count) {
  public CountedRow {
    Objects.requireNonNull(row, "row");
    if (count < 1) {
      throw new IllegalArgumentException("a record counts at least one message: " + count);
    }
  }
}
