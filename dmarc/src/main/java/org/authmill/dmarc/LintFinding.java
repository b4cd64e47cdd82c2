package org.authmill.dmarc;

import java.util.Objects;

/**
 * One observation of {@link DmarcLinter} about a published DMARC set-up (RFC 9989), with concrete
 * advice.
 *
 * @param severity how serious it is
 * @param message what was found and what to do, in words
 */
public record LintFinding(Severity severity, String message) {
  /** How serious a finding is. */
  public enum Severity {
    /** Receivers will not do what the domain owner probably wants: fix it. */
    ERROR,
    /** Works, but likely not as intended, or not everywhere. */
    WARNING,
    /** Worth knowing. */
    INFO,
    /** A check that passed. */
    OK;

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public LintFinding {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(message, "message");
  }
}
