package org.authmill.dmarc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.ParseResult;

/**
 * Queries DMARC Policy Records and domain existence for one evaluation, asking the DNS at most once
 * per name, and remembering which names were asked in what order.
 */
final class RecordFetcher {
  /** Whether a domain exists (RFC 9989 §3.2.13, Appendix A.4). */
  enum Existence {
    EXISTS,
    DOES_NOT_EXIST,
    UNKNOWN
  }

  private final DnsResolver resolver;
  private final Map<String, CompletableFuture<PolicyLookup>> records = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Existence>> existence = new ConcurrentHashMap<>();
  private final List<String> queried = Collections.synchronizedList(new ArrayList<>());

  RecordFetcher(DnsResolver resolver) {
    this.resolver = resolver;
  }

  /** The DMARC Policy Record at {@code _dmarc.<domain>}; the domain is in normal form. */
  CompletionStage<PolicyLookup> lookup(String domain) {
    return records.computeIfAbsent(domain, this::query);
  }

  private CompletableFuture<PolicyLookup> query(String domain) {
    String name = "_dmarc." + domain;
    queried.add(name + "/TXT");
    CompletionStage<DnsAnswer<String>> stage;
    try {
      stage = resolver.txt(name);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage
        .handle(
            (answer, error) -> {
              if (error != null) {
                return new PolicyLookup(
                    domain,
                    PolicyLookup.Kind.TEMPFAIL,
                    Optional.empty(),
                    "DNS lookup of " + name + " failed: " + error,
                    List.of());
              }
              return interpret(domain, name, answer);
            })
        .toCompletableFuture();
  }

  private static PolicyLookup interpret(String domain, String name, DnsAnswer<String> answer) {
    if (answer instanceof DnsAnswer.TempFailure<String> failure) {
      return new PolicyLookup(
          domain, PolicyLookup.Kind.TEMPFAIL, Optional.empty(), failure.reason(), List.of());
    }
    if (answer instanceof DnsAnswer.NxDomain<String>) {
      return new PolicyLookup(
          domain, PolicyLookup.Kind.ABSENT, Optional.empty(), name + " does not exist", List.of());
    }
    List<String> dmarc = new ArrayList<>();
    for (String text : answer.values()) {
      if (DmarcRecord.isDmarcRecord(text)) {
        dmarc.add(text);
      }
    }
    if (dmarc.isEmpty()) {
      return new PolicyLookup(
          domain,
          PolicyLookup.Kind.ABSENT,
          Optional.empty(),
          answer.values().isEmpty()
              ? "no TXT record at " + name
              : "no TXT record starting with v=DMARC1 at " + name,
          answer.values());
    }
    if (dmarc.size() > 1) {
      return new PolicyLookup(
          domain,
          PolicyLookup.Kind.MULTIPLE,
          Optional.empty(),
          dmarc.size() + " DMARC records at " + name + "; all are discarded (RFC 9989 §4.10)",
          answer.values());
    }
    ParseResult<DmarcRecord> parsed = DmarcRecord.parse(dmarc.get(0));
    if (parsed instanceof ParseResult.Invalid<DmarcRecord> invalid) {
      return new PolicyLookup(
          domain,
          PolicyLookup.Kind.ABSENT,
          Optional.empty(),
          "the DMARC record at " + name + " is ignored: " + invalid.reason(),
          answer.values());
    }
    return new PolicyLookup(domain, PolicyLookup.Kind.FOUND, parsed.value(), name, answer.values());
  }

  /**
   * Whether a domain exists: NXDOMAIN means it does not, any other answer means it does (RFC 9989
   * Appendix A.4, RFC 8020); a temporary failure leaves it unknown. Asks for A records, as any type
   * serves.
   */
  CompletionStage<Existence> exists(String domain) {
    return existence.computeIfAbsent(
        domain,
        d -> {
          queried.add(d + "/A");
          CompletionStage<? extends DnsAnswer<?>> stage;
          try {
            stage = resolver.a(d);
          } catch (RuntimeException e) {
            stage = CompletableFuture.failedFuture(e);
          }
          return stage
              .handle(
                  (answer, error) -> {
                    if (error != null || answer instanceof DnsAnswer.TempFailure<?>) {
                      return Existence.UNKNOWN;
                    }
                    return answer instanceof DnsAnswer.NxDomain<?>
                        ? Existence.DOES_NOT_EXIST
                        : Existence.EXISTS;
                  })
              .toCompletableFuture();
        });
  }

  /** Any TXT lookup, recorded with the others (not cached). */
  CompletionStage<DnsAnswer<String>> txt(String name) {
    queried.add(name + "/TXT");
    try {
      return resolver.txt(name);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The names queried so far, each as {@code name/TYPE}, in the order they were first asked. */
  List<String> queried() {
    synchronized (queried) {
      return List.copyOf(queried);
    }
  }
}
