package org.authmill.feedback;

import java.io.IOException;

/**
 * Where imported reports go (the store, in practice). An aggregate report is written in one
 * transaction, one record at a time, so a report that fails half way leaves nothing behind.
 */
public interface ReportSink {
  /**
   * Starts storing an aggregate report.
   *
   * @param source where the report came from (file name, message), for the raw rows view
   * @return a writer for its records, or null when a report with the same reporting organization,
   *     report id and policy domain is already stored
   */
  AggregateWriter begin(ReportMetadata metadata, String source) throws IOException;

  /**
   * Stores a failure report.
   *
   * @return false when it is already stored (same report Message-ID, or same content)
   */
  boolean failure(FailureReport report, String source) throws IOException;

  /** Receives the records of one aggregate report; closing without commit discards them. */
  interface AggregateWriter extends AutoCloseable {
    /** One record. */
    void record(ReportRecord record) throws IOException;

    /** Makes the report and its records visible. */
    void commit() throws IOException;

    /** Discards the report unless committed. */
    @Override
    void close() throws IOException;
  }
}
