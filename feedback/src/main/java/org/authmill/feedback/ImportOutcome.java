package org.authmill.feedback;

import java.util.List;

/**
 * What an import did: reports stored, reports already stored, and reports that could not be read,
 * each named with the reason.
 */
public record ImportOutcome(
    int imported, int duplicates, int failed, List<ImportOutcome.Failure> failures) {
  /** Copies the list. */
  public ImportOutcome {
    failures = List.copyOf(failures);
  }

  /** A report that was skipped: where it was and what is wrong with it. */
  public record Failure(String source, String reason) {}
}
