package org.authmill.feedback;

import java.util.List;

/**
 * Whether a domain can move to a stricter DMARC policy without losing wanted mail: at {@code
 * p=quarantine} or {@code p=reject}, the sources whose DMARC-failing messages would be quarantined
 * or rejected, and how many per day.
 *
 * <p>A source that also sends mail that passes DMARC is most likely the domain's own (a service
 * without DKIM on every stream, a forwarder); one that never passes is most likely someone else
 * using the name. The verdict for {@code reject} is {@code ready} only when no failing mail comes
 * from sources that also pass; for {@code quarantine} when such mail is at most 1% of the volume.
 *
 * @param policy {@code quarantine} or {@code reject}
 * @param verdict {@code ready}, {@code not-ready}, or {@code no-data}
 * @param messagesPerDay failing messages per day that the policy would act on
 * @param wantedPerDay of those, messages per day from sources that also pass DMARC
 * @param sources the failing sources, most failing messages first
 */
public record Readiness(
    String policy,
    String verdict,
    double messagesPerDay,
    double wantedPerDay,
    List<Affected> sources) {
  /** Copies the list. */
  public Readiness {
    sources = List.copyOf(sources);
  }

  /** The one-line answer, such as "at p=reject, 2 sources sending 14.0 messages/day ...". */
  public String sentence() {
    String verb = policy.equals("reject") ? "rejected" : "quarantined";
    if (verdict.equals("no-data")) {
      return "at p=" + policy + ": no reports in range";
    }
    if (sources.isEmpty()) {
      return "at p=" + policy + ", no source fails DMARC: nothing would be " + verb;
    }
    return String.format(
        java.util.Locale.ROOT,
        "at p=%s, %d source%s sending %.1f messages/day would be %s (%.1f/day from sources that"
            + " also pass DMARC)",
        policy,
        sources.size(),
        sources.size() == 1 ? "" : "s",
        messagesPerDay,
        verb,
        wantedPerDay);
  }

  /**
   * A source the policy would act on.
   *
   * @param sourceIp the address
   * @param messagesPerDay its DMARC-failing messages per day
   * @param alsoPasses true when it also sends mail that passes DMARC
   */
  public record Affected(String sourceIp, double messagesPerDay, boolean alsoPasses) {}
}
