package org.authmill.arc;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import org.authmill.auth.results.AuthenticationResults;
import org.authmill.auth.results.MethodResult;

/**
 * A DMARC failure overridden because of ARC (RFC 8617 §7.2; RFC 9989 §5.8 lets a receiver's local
 * policy override the domain's): the chain passes, a trusted sealer sealed it, and that sealer's
 * ARC-Authentication-Results recorded an aligned pass for the same author domain: {@code
 * dmarc=pass} (with {@code header.from} the same when given), or a strictly aligned {@code
 * dkim=pass} ({@code header.d} the author domain) or {@code spf=pass} ({@code smtp.mailfrom} in the
 * author domain). Strict alignment is the conservative reading: it never grants an override that
 * relaxed alignment would refuse.
 *
 * @param sealer the trusted sealing domain
 * @param instance the instance of the trusted set
 * @param evidence the result the sealer recorded ({@code dmarc=pass header.from=...})
 */
public record ArcOverride(String sealer, int instance, String evidence) {
  public ArcOverride {
    Objects.requireNonNull(sealer, "sealer");
    Objects.requireNonNull(evidence, "evidence");
  }

  /**
   * The override, if the chain earns one: only when DMARC failed, the chain passes and the newest
   * trusted set recorded an aligned pass for {@code fromDomain}.
   *
   * @param dmarcFailed whether this receiver's DMARC evaluation failed
   * @param fromDomain the RFC5322.From domain that DMARC evaluated
   */
  public static Optional<ArcOverride> evaluate(
      boolean dmarcFailed, String fromDomain, ArcOutcome arc, List<TrustedSealer> trusted) {
    if (!dmarcFailed || arc.cv() != ArcCv.PASS || fromDomain == null || fromDomain.isBlank()) {
      return Optional.empty();
    }
    String from = normalize(fromDomain);
    List<ArcHop> hops = arc.hops();
    for (int i = hops.size() - 1; i >= 0; i--) {
      ArcHop hop = hops.get(i);
      if (trusted.stream().noneMatch(t -> t.covers(hop)) || hop.results().isEmpty()) {
        continue;
      }
      Optional<String> evidence = alignedPass(hop.results().get(), from);
      if (evidence.isPresent()) {
        return Optional.of(new ArcOverride(hop.domain(), hop.instance(), evidence.get()));
      }
    }
    return Optional.empty();
  }

  /** The strongest evidence first: the sealer's DMARC verdict, then aligned DKIM, then SPF. */
  private static Optional<String> alignedPass(AuthenticationResults results, String from) {
    for (String method : List.of("dmarc", "dkim", "spf")) {
      for (MethodResult r : results.results()) {
        if (!r.result().equals("pass") || !r.method().equals(method)) {
          continue;
        }
        Optional<String> evidence = evidence(r, from);
        if (evidence.isPresent()) {
          return evidence;
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<String> evidence(MethodResult r, String from) {
    switch (r.method()) {
      case "dmarc" -> {
        Optional<String> headerFrom = r.property("header.from").map(ArcOverride::normalize);
        if (headerFrom.map(from::equals).orElse(true)) {
          return Optional.of("dmarc=pass header.from=" + headerFrom.orElse(from));
        }
      }
      case "dkim" -> {
        Optional<String> d = r.property("header.d").map(ArcOverride::normalize);
        if (d.isPresent() && d.get().equals(from)) {
          return Optional.of("dkim=pass header.d=" + d.get());
        }
      }
      case "spf" -> {
        Optional<String> mailFrom = r.property("smtp.mailfrom").map(ArcOverride::domainOf);
        if (mailFrom.isPresent() && mailFrom.get().equals(from)) {
          return Optional.of("spf=pass smtp.mailfrom=" + mailFrom.get());
        }
      }
      default -> {}
    }
    return Optional.empty();
  }

  private static String domainOf(String mailbox) {
    return normalize(mailbox.substring(mailbox.lastIndexOf('@') + 1));
  }

  private static String normalize(String domain) {
    String d = domain.strip().toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  /**
   * The dmarc result of Authentication-Results annotated with this override: {@code
   * policy.override=arc} and a comment naming the sealer, e.g. {@code dmarc=fail (overridden by
   * ARC: trusted sealer list.example i=1 recorded dmarc=pass) ... policy.override=arc}.
   */
  public MethodResult annotate(MethodResult dmarc) {
    String note =
        "overridden by ARC: trusted sealer " + sealer + " i=" + instance + " recorded " + evidence;
    String comment = dmarc.comment().map(c -> c + "; " + note).orElse(note);
    return dmarc.withComment(comment).with("policy", "override", "arc");
  }
}
