package org.authmill.feedback;

import java.io.IOException;

/**
 * A report that cannot be read: not XML, a refused construct (a DTD, an external entity), a
 * decompression bomb, a truncated archive, or a required element missing. The message names what is
 * wrong so that an import can report it and go on with the next report.
 */
public final class ReportFormatException extends IOException {
  private static final long serialVersionUID = 1L;

  /** A report error with its explanation. */
  public ReportFormatException(String message) {
    super(message);
  }

  /** A report error caused by a lower-level failure (an XML or I/O error). */
  public ReportFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
