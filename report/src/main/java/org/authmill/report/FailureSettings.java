package org.authmill.report;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code report.failure:} settings: DMARC failure reports (RFC 9991), off by default.
 *
 * @param enabled {@code enabled}: send failure reports to the {@code ruf} destinations (false)
 * @param maxPerDomain {@code max-per-domain}: reports about one policy domain per window (10)
 * @param maxPerDestination {@code max-per-destination}: reports to one address per window (20)
 * @param window {@code window}: the rate-limit window (1 hour)
 * @param redact {@code redact}: local parts of addresses replaced by keyed tokens and URLs defanged
 *     in what the report shows of the message (true; RFC 9991 §6, RFC 6590)
 * @param maxQueued {@code max-queued}: reports waiting to be sent; beyond it they are dropped
 *     (1000)
 */
public record FailureSettings(
    boolean enabled,
    int maxPerDomain,
    int maxPerDestination,
    Duration window,
    boolean redact,
    int maxQueued) {
  /** Failure reports off; the limits are the defaults. */
  public static final FailureSettings OFF =
      new FailureSettings(false, 10, 20, Duration.ofHours(1), true, 1000);

  public FailureSettings {
    Objects.requireNonNull(window, "window");
    if (maxPerDomain < 1 || maxPerDestination < 1 || maxQueued < 1) {
      throw new IllegalArgumentException(
          "report.failure: max-per-domain, max-per-destination and max-queued must be at least 1");
    }
    if (window.toSeconds() < 1) {
      throw new IllegalArgumentException("report.failure.window must be at least 1s: " + window);
    }
  }
}
