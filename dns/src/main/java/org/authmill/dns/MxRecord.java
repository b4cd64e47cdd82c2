package org.authmill.dns;

import java.util.Objects;

/**
 * One MX record (RFC 1035 §3.3.9): a preference (lower is preferred) and the exchange host name,
 * without the trailing dot.
 */
public record MxRecord(int preference, String exchange) {
  public MxRecord {
    if (preference < 0 || preference > 0xFFFF) {
      throw new IllegalArgumentException("MX preference out of range: " + preference);
    }
    Objects.requireNonNull(exchange, "exchange");
  }
}
