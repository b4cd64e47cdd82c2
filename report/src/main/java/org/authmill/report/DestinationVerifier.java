package org.authmill.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.authmill.dmarc.DmarcRecord;
import org.authmill.dmarc.ReportUri;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.Idna;
import org.authmill.dns.ParseResult;

/**
 * Verifies external report destinations (RFC 9990 §4): when the destination's host is not within
 * the Organizational Domain of the policy, a TXT record starting with {@code v=DMARC1} must exist
 * at {@code <policy-domain>._report._dmarc.<destination-host>}; its {@code rua}, when present,
 * replaces the destination, but only with addresses at the same host.
 */
public final class DestinationVerifier {
  private final DnsResolver dns;
  private final Function<DmarcRecord, List<ReportUri>> uris;

  /** A verifier of aggregate report ({@code rua}) destinations asking a resolver. */
  public DestinationVerifier(DnsResolver dns) {
    this(dns, DmarcRecord::aggregateReportUris);
  }

  private DestinationVerifier(DnsResolver dns, Function<DmarcRecord, List<ReportUri>> overrides) {
    this.dns = Objects.requireNonNull(dns, "dns");
    this.uris = overrides;
  }

  /**
   * A verifier of failure report ({@code ruf}) destinations: the same procedure with {@code ruf}
   * where {@code rua} appears (RFC 9991 §4).
   */
  public static DestinationVerifier forFailureReports(DnsResolver dns) {
    return new DestinationVerifier(dns, DmarcRecord::failureReportUris);
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
        for (ReportUri uri : uris.apply(record.get())) {
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
