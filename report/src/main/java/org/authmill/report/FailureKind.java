package org.authmill.report;

import org.authmill.dmarc.FailureOption;

/**
 * What a failure report is about: its {@code Auth-Failure} value (RFC 6591 §3.1, RFC 9991 §5) and
 * the {@code fo} option that asks for it (RFC 9989 §4.7).
 */
public enum FailureKind {
  /** DMARC: no (fo=0) or not every (fo=1) mechanism gave an aligned pass; {@code dmarc}. */
  DMARC("dmarc"),
  /** A DKIM signature failed evaluation, aligned or not (fo=d, RFC 6651); {@code signature}. */
  DKIM("signature"),
  /** SPF failed, aligned or not (fo=s, RFC 6652); {@code spf}. */
  SPF("spf");

  private final String authFailure;

  FailureKind(String authFailure) {
    this.authFailure = authFailure;
  }

  /** The {@code Auth-Failure} field's value. */
  public String authFailure() {
    return authFailure;
  }

  /** The {@code fo} option that asks for this kind ({@code 0} and {@code 1} both give DMARC). */
  static FailureKind of(FailureOption option) {
    return switch (option) {
      case ALL_FAIL, ANY_FAIL -> DMARC;
      case DKIM -> DKIM;
      case SPF -> SPF;
    };
  }
}
