package org.authmill.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.authmill.dmarc.DmarcRecord;
import org.authmill.dmarc.ParseResult;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.Idna;

/**
 * Verifies external report destinations (RFC 9990 §4): when the destination's host is not within
 * the Organizational Domain of the policy, a TXT record starting with {@code v=DMARC1} must exist
 * at {@code <policy-domain>._report._dmarc.<destination-host>}; its {@code rua}, when present,
 * replaces the destination, but only with addresses at the same host.
 */
public final class DestinationVerifier {
  private final DnsResolver dns;

  /** A verifier asking a resolver. */
  public DestinationVerifier(DnsResolver dns) {
    this.dns = Objects.requireNonNull(dns, "dns");
  }

  /** The outcome of verifying one destination. */
  public sealed interface Verdict {
    /** Reports may go to these destinations. */
    record Authorized(List<Destination> destinations, boolean external) implements Verdict {}

    /** No authorization: the destination MUST be ignored. */
    record Unauthorized(String reason) implements Verdict {}

    /** The DNS failed temporarily: try again later (RFC 9990 §4 step 5). */
    record Retry(String reason) implements Verdict {}
  }

  /**
   * Verifies a destination for a policy domain.
   *
   * @param policyDomain the domain whose record holds the {@code rua} tag
   * @param organizationalDomain that domain's Organizational Domain
   * @param destination the destination from the {@code rua} tag
   */
  public Verdict verify(String policyDomain, String organizationalDomain, Destination destination) {
    if (destination.within(organizationalDomain)) {
      return new Verdict.Authorized(List.of(destination), false);
    }
    Optional<String> policy = Idna.toAscii(policyDomain);
    if (policy.isEmpty()) {
      return new Verdict.Unauthorized("policy domain is not a valid name: " + policyDomain);
    }
    String name = policy.get() + "._report._dmarc." + destination.host();
    if (name.length() > 253 || labelTooLong(name)) {
      return new Verdict.Unauthorized(name + " exceeds DNS limits (RFC 9990 §4 step 4)");
    }
    DnsAnswer<String> answer;
    try {
      CompletableFuture<DnsAnswer<String>> f = dns.txt(name).toCompletableFuture();
      answer = f.get(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Verdict.Retry("interrupted looking up " + name);
    } catch (ExecutionException | TimeoutException e) {
      return new Verdict.Retry("lookup of " + name + " failed: " + e);
    }
    if (answer instanceof DnsAnswer.TempFailure<String> t) {
      return new Verdict.Retry(t.reason());
    }
    List<Destination> overrides = new ArrayList<>();
    boolean authorized = false;
    for (String txt : answer.values()) {
      if (!DmarcRecord.isDmarcRecord(txt)) {
        continue;
      }
      authorized = true;
      ParseResult<DmarcRecord> parsed = DmarcRecord.parse(txt);
      Optional<DmarcRecord> record = parsed.value();
      if (record.isPresent()) {
        for (var uri : record.get().aggregateReportUris()) {
          Optional<Destination> d = Destination.ofUri(uri.uri());
          if (d.isEmpty()) {
            continue;
          }
          if (!d.get().host().equals(destination.host())) {
            return new Verdict.Unauthorized(
                name
                    + " overrides the destination with another host, "
                    + d.get().host()
                    + " (RFC 9990 §4: no report to either)");
          }
          overrides.add(d.get());
        }
      }
    }
    if (!authorized) {
      return new Verdict.Unauthorized(
          "no v=DMARC1 record at " + name + " authorizes reports for " + policyDomain);
    }
    return new Verdict.Authorized(overrides.isEmpty() ? List.of(destination) : overrides, true);
  }

  private static boolean labelTooLong(String name) {
    for (String label : name.split("\\.")) {
      if (label.length() > 63) {
        return true;
      }
    }
    return false;
  }
}
