package org.authmill.spf;

import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DomainName;
import org.authmill.dns.MxRecord;
import org.authmill.dns.RecordType;

/**
 * One check_host() call of RFC 7208 §4 with everything it recurses into, bounded by a {@link
 * LookupBudget}. Each step that waits for the DNS continues in the resolver's callback; nothing
 * blocks.
 */
final class Evaluation {

  /** What check_host() returns inside the evaluation, before it becomes a {@link SpfOutcome}. */
  record Verdict(SpfResult result, String reason, String mechanism, String explanation) {
    static Verdict of(SpfResult result, String reason) {
      return new Verdict(result, reason, null, null);
    }
  }

  /** The outcome of one mechanism: a match, no match, or a verdict that ends the evaluation. */
  private record Step(boolean matched, String detail, Verdict verdict) {
    static final Step NO_MATCH = new Step(false, null, null);

    static Step match(String detail) {
      return new Step(true, detail, null);
    }

    static Step end(SpfResult result, String reason) {
      return new Step(false, null, Verdict.of(result, reason));
    }
  }

  /** The client's validated reverse names (RFC 7208 §5.5), found once per evaluation. */
  private record Validated(List<String> names, boolean ptrVoid, String error) {}

  private final DnsResolver dns;
  private final Clock clock;
  private final LookupBudget budget;
  private final MacroString defaultExplanation;
  private final InetAddress ip;
  private final boolean ip4;
  private CompletableFuture<Validated> validated;

  Evaluation(
      DnsResolver dns,
      Clock clock,
      SpfLimits limits,
      MacroString defaultExplanation,
      InetAddress ip) {
    this.dns = dns;
    this.clock = clock;
    this.budget = new LookupBudget(limits, clock.instant());
    this.defaultExplanation = defaultExplanation;
    this.ip = Addresses.normalize(ip);
    this.ip4 = Addresses.isIp4(this.ip);
  }

  LookupBudget budget() {
    return budget;
  }

  /**
   * check_host() for {@code context.domain()} (§4). With {@code explain}, a fail computes its
   * explanation (§6.2); an include's inner check does not (§6.2: its exp= is never used).
   */
  CompletionStage<Verdict> checkHost(MacroContext context, boolean explain) {
    String problem = checkHostProblem(context.domain());
    if (problem != null) {
      return done(Verdict.of(SpfResult.NONE, problem + "; nothing to check (RFC 7208 §4.3)"));
    }
    String domain = DomainName.withoutRootDot(context.domain());
    MacroContext ctx = context.withDomain(domain);
    return query(domain, RecordType.TXT)
        .thenCompose(
            answer -> {
              if (answer instanceof DnsAnswer.TempFailure<String> failure) {
                return done(
                    Verdict.of(
                        SpfResult.TEMPERROR,
                        "DNS error looking up the SPF record of "
                            + domain
                            + ": "
                            + Sanitizer.printable(failure.reason())
                            + " (RFC 7208 §4.4)"));
              }
              if (answer instanceof DnsAnswer.NxDomain<String>) {
                return done(
                    Verdict.of(
                        SpfResult.NONE,
                        domain + " does not exist (NXDOMAIN), so it has no SPF record (§4.3)"));
              }
              List<String> spf = new ArrayList<>();
              for (String txt : answer.values()) {
                if (SpfParser.isSpfRecord(txt)) {
                  spf.add(txt);
                }
              }
              if (spf.size() > 1) {
                return done(
                    Verdict.of(
                        SpfResult.PERMERROR,
                        domain
                            + " publishes "
                            + spf.size()
                            + " SPF records; exactly one v=spf1 TXT record is allowed:"
                            + " merge them (RFC 7208 §4.5)"));
              }
              if (spf.isEmpty()) {
                return done(
                    Verdict.of(
                        SpfResult.NONE,
                        domain
                            + (answer.isEmpty()
                                ? " has no TXT records"
                                : " has TXT records but none starting with v=spf1")
                            + ", so it publishes no SPF record (RFC 7208 §4.5)"));
              }
              SpfParseResult parsed = SpfParser.parse(spf.get(0));
              if (parsed instanceof SpfParseResult.Invalid invalid) {
                return done(
                    Verdict.of(
                        SpfResult.PERMERROR,
                        "the SPF record of "
                            + domain
                            + " has a syntax error in "
                            + invalid.describe()
                            + " (RFC 7208 §4.6)"));
              }
              SpfRecord record = ((SpfParseResult.Parsed) parsed).record();
              return directives(record, 0, ctx, explain);
            });
  }

  private CompletionStage<Verdict> directives(
      SpfRecord record, int start, MacroContext ctx, boolean explain) {
    List<Directive> list = record.directives();
    for (int i = start; i < list.size(); i++) {
      Directive directive = list.get(i);
      Mechanism mechanism = directive.mechanism();
      if (!mechanism.queriesDns()) {
        if (matchesLocally(mechanism)) {
          return matched(record, directive, null, ctx, explain);
        }
        continue;
      }
      if (!budget.spendTerm()) {
        return done(termLimit(directive.text(), ctx.domain()));
      }
      int next = i + 1;
      return match(mechanism, ctx)
          .thenCompose(
              step -> {
                if (step.verdict() != null) {
                  return done(
                      new Verdict(
                          step.verdict().result(),
                          step.verdict().reason(),
                          directive.text(),
                          null));
                }
                if (step.matched()) {
                  return matched(record, directive, step.detail(), ctx, explain);
                }
                return directives(record, next, ctx, explain);
              });
    }
    if (record.redirect().isPresent()) {
      MacroString spec = record.redirect().get();
      String term = "redirect=" + spec.source();
      if (!budget.spendTerm()) {
        return done(termLimit(term, ctx.domain()));
      }
      return expandTarget(spec, ctx)
          .thenCompose(
              target -> {
                String problem = checkHostProblem(target);
                if (problem != null) {
                  return done(
                      new Verdict(
                          SpfResult.PERMERROR,
                          term
                              + " in the SPF record of "
                              + ctx.domain()
                              + ": "
                              + problem
                              + " (§6.1)",
                          term,
                          null));
                }
                return checkHost(ctx.withDomain(target), explain)
                    .thenApply(
                        v ->
                            v.result() == SpfResult.NONE
                                ? new Verdict(
                                    SpfResult.PERMERROR,
                                    term
                                        + " in the SPF record of "
                                        + ctx.domain()
                                        + " leads nowhere: "
                                        + v.reason()
                                        + "; a redirect target must publish an SPF record"
                                        + " (RFC 7208 §6.1)",
                                    term,
                                    null)
                                : v);
              });
    }
    return done(
        Verdict.of(
            SpfResult.NEUTRAL,
            "no mechanism in the SPF record of "
                + ctx.domain()
                + " matched "
                + Addresses.readable(ip)
                + " and it has no redirect=; the default result is neutral (RFC 7208 §4.7)"));
  }

  private boolean matchesLocally(Mechanism mechanism) {
    if (mechanism instanceof Mechanism.All) {
      return true;
    }
    if (mechanism instanceof Mechanism.Ip4 ip4Mechanism) {
      return ip4
          && Addresses.matches(
              ip.getAddress(), ip4Mechanism.network().getAddress(), ip4Mechanism.prefix());
    }
    if (mechanism instanceof Mechanism.Ip6 ip6Mechanism) {
      return !ip4
          && Addresses.matches(
              ip.getAddress(), ip6Mechanism.network().getAddress(), ip6Mechanism.prefix());
    }
    throw new IllegalStateException("not a local mechanism: " + mechanism);
  }

  private CompletionStage<Verdict> matched(
      SpfRecord record, Directive directive, String detail, MacroContext ctx, boolean explain) {
    SpfResult result = directive.qualifier().result();
    String reason =
        Addresses.readable(ip)
            + " matched '"
            + directive.text()
            + "'"
            + (detail == null ? "" : " (" + detail + ")")
            + " in the SPF record of "
            + ctx.domain()
            + ": "
            + result.keyword();
    if (result != SpfResult.FAIL || !explain) {
      return done(new Verdict(result, reason, directive.text(), null));
    }
    return explanation(record, ctx)
        .thenApply(text -> new Verdict(result, reason, directive.text(), text));
  }

  private Verdict termLimit(String term, String domain) {
    return new Verdict(
        SpfResult.PERMERROR,
        "more than "
            + budget.limits().maxDnsTerms()
            + " DNS-querying terms (include, a, mx, ptr, exists, redirect) reached '"
            + term
            + "' in the SPF record of "
            + domain
            + "; flatten or remove includes (RFC 7208 §4.6.4)",
        term,
        null);
  }

  private Step voidLookup(String term, String what) {
    if (budget.spendVoid()) {
      return Step.NO_MATCH;
    }
    return Step.end(
        SpfResult.PERMERROR,
        "more than "
            + budget.limits().maxVoidLookups()
            + " lookups found nothing; the last: "
            + what
            + " for '"
            + term
            + "'; remove terms naming names that do not exist (RFC 7208 §4.6.4)");
  }

  // ---- mechanisms ----------------------------------------------------------------------------

  private CompletionStage<Step> match(Mechanism mechanism, MacroContext ctx) {
    if (mechanism instanceof Mechanism.Include include) {
      return include(include, ctx);
    }
    if (mechanism instanceof Mechanism.A a) {
      return target(a.domainSpec().orElse(null), ctx)
          .thenCompose(name -> address(name, "a", ip4 ? a.ip4Prefix() : a.ip6Prefix()));
    }
    if (mechanism instanceof Mechanism.Mx mx) {
      return target(mx.domainSpec().orElse(null), ctx)
          .thenCompose(name -> mx(name, ip4 ? mx.ip4Prefix() : mx.ip6Prefix()));
    }
    if (mechanism instanceof Mechanism.Ptr ptr) {
      return target(ptr.domainSpec().orElse(null), ctx).thenCompose(this::ptr);
    }
    if (mechanism instanceof Mechanism.Exists exists) {
      return target(exists.domainSpec(), ctx).thenCompose(this::exists);
    }
    throw new IllegalStateException("not a DNS mechanism: " + mechanism);
  }

  private CompletionStage<Step> include(Mechanism.Include include, MacroContext ctx) {
    String term = "include:" + include.domainSpec().source();
    return expandTarget(include.domainSpec(), ctx)
        .thenCompose(target -> checkHost(ctx.withDomain(target), false))
        .thenApply(
            v ->
                switch (v.result()) {
                  case PASS -> Step.match(v.reason());
                  case FAIL, SOFTFAIL, NEUTRAL -> Step.NO_MATCH;
                  case TEMPERROR -> Step.end(SpfResult.TEMPERROR, via(term, v.reason()));
                  case PERMERROR -> Step.end(SpfResult.PERMERROR, via(term, v.reason()));
                  case NONE ->
                      Step.end(
                          SpfResult.PERMERROR,
                          term
                              + " in the SPF record of "
                              + ctx.domain()
                              + " names a domain without an SPF record ("
                              + v.reason()
                              + "); an included domain must publish one (RFC 7208 §5.2)");
                });
  }

  /**
   * An error found inside an include, problem first (it is what an operator acts on, and what a
   * capped Received-SPF problem= keeps), then the chain of includes that led to it, outermost
   * first.
   */
  static String via(String term, String inner) {
    int at = inner.lastIndexOf(VIA);
    if (at >= 0 && inner.endsWith(")")) {
      return inner.substring(0, at) + VIA + term + " > " + inner.substring(at + VIA.length());
    }
    return inner + VIA + term + ")";
  }

  private static final String VIA = " (via ";

  /** The name a mechanism looks up, or null when it cannot be looked up (§4.8, §7.3). */
  private CompletionStage<String> target(MacroString spec, MacroContext ctx) {
    if (spec == null) {
      return done(ctx.domain());
    }
    return expandTarget(spec, ctx).thenApply(name -> isLookupName(name) ? name : null);
  }

  private CompletionStage<String> expandTarget(MacroString spec, MacroContext ctx) {
    if (!spec.uses('p')) {
      return done(MacroExpander.expandDomain(spec, ctx));
    }
    return validatedName(ctx.domain())
        .thenApply(p -> MacroExpander.expandDomain(spec, ctx.withValidatedName(p)));
  }

  private CompletionStage<Step> address(String name, String term, int prefix) {
    if (name == null) {
      return done(Step.NO_MATCH);
    }
    RecordType<InetAddress> type = ip4 ? RecordType.A : RecordType.AAAA;
    return query(name, type)
        .thenApply(
            answer -> {
              if (answer instanceof DnsAnswer.TempFailure<InetAddress> failure) {
                return Step.end(SpfResult.TEMPERROR, dnsError(name, type, failure));
              }
              if (answer.isEmpty()) {
                return voidLookup(term, name + " has no " + type.name() + " record");
              }
              for (InetAddress address : answer.values()) {
                if (Addresses.matches(ip.getAddress(), address.getAddress(), prefix)) {
                  return Step.match(name + " has " + Addresses.readable(address));
                }
              }
              return Step.NO_MATCH;
            });
  }

  private CompletionStage<Step> mx(String name, int prefix) {
    if (name == null) {
      return done(Step.NO_MATCH);
    }
    return query(name, RecordType.MX)
        .thenCompose(
            answer -> {
              if (answer instanceof DnsAnswer.TempFailure<MxRecord> failure) {
                return done(Step.end(SpfResult.TEMPERROR, dnsError(name, RecordType.MX, failure)));
              }
              if (answer.isEmpty()) {
                return done(voidLookup("mx", name + " has no MX record"));
              }
              List<MxRecord> exchanges = new ArrayList<>();
              for (MxRecord mx : answer.values()) {
                String exchange = DomainName.withoutRootDot(mx.exchange());
                if (!exchange.isEmpty() && !exchange.equals(".")) {
                  exchanges.add(new MxRecord(mx.preference(), exchange));
                }
              }
              int max = budget.limits().maxMxNames();
              if (exchanges.size() > max) {
                return done(
                    Step.end(
                        SpfResult.PERMERROR,
                        name
                            + " has "
                            + exchanges.size()
                            + " MX records; an mx mechanism may look up at most "
                            + max
                            + " (RFC 7208 §4.6.4): use ip4/ip6 or a:"));
              }
              exchanges.sort((x, y) -> Integer.compare(x.preference(), y.preference()));
              return mxHosts(name, exchanges, prefix);
            });
  }

  private CompletionStage<Step> mxHosts(String name, List<MxRecord> exchanges, int prefix) {
    RecordType<InetAddress> type = ip4 ? RecordType.A : RecordType.AAAA;
    List<CompletableFuture<DnsAnswer<InetAddress>>> lookups = new ArrayList<>();
    for (MxRecord mx : exchanges) {
      lookups.add(
          isLookupName(mx.exchange())
              ? query(mx.exchange(), type).toCompletableFuture()
              : CompletableFuture.completedFuture(
                  new DnsAnswer.NxDomain<>(java.time.Duration.ZERO)));
    }
    return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
        .thenApply(
            ignored -> {
              // A null MX (RFC 7505: "0 .") is an answer, not a void lookup; it names no host.
              boolean anyVoid = false;
              for (int i = 0; i < exchanges.size(); i++) {
                String host = exchanges.get(i).exchange();
                DnsAnswer<InetAddress> answer = lookups.get(i).join();
                if (answer instanceof DnsAnswer.TempFailure<InetAddress> failure) {
                  return Step.end(SpfResult.TEMPERROR, dnsError(host, type, failure));
                }
                if (answer.isEmpty()) {
                  anyVoid = true;
                }
                for (InetAddress address : answer.values()) {
                  if (Addresses.matches(ip.getAddress(), address.getAddress(), prefix)) {
                    return Step.match(
                        "MX " + host + " of " + name + " has " + Addresses.readable(address));
                  }
                }
              }
              return anyVoid
                  ? voidLookup("mx", "an MX host of " + name + " has no " + type.name())
                  : Step.NO_MATCH;
            });
  }

  private CompletionStage<Step> ptr(String target) {
    if (target == null) {
      return done(Step.NO_MATCH);
    }
    return validated()
        .thenApply(
            v -> {
              if (v.ptrVoid()) {
                return voidLookup("ptr", "no PTR record for " + Addresses.readable(ip));
              }
              for (String name : v.names()) {
                if (isAtOrBelow(name, target)) {
                  return Step.match("validated name " + name);
                }
              }
              return Step.NO_MATCH;
            });
  }

  private CompletionStage<Step> exists(String name) {
    if (name == null) {
      return done(Step.NO_MATCH);
    }
    return query(name, RecordType.A)
        .thenApply(
            answer -> {
              if (answer instanceof DnsAnswer.TempFailure<InetAddress> failure) {
                return Step.end(SpfResult.TEMPERROR, dnsError(name, RecordType.A, failure));
              }
              if (answer.isEmpty()) {
                return voidLookup("exists", name + " has no A record");
              }
              return Step.match(name + " exists");
            });
  }

  // ---- PTR validation (§5.5) and the p macro (§7.3) --------------------------------------------

  private synchronized CompletableFuture<Validated> validated() {
    if (validated == null) {
      validated = validate().toCompletableFuture();
    }
    return validated;
  }

  private CompletionStage<Validated> validate() {
    String reverse = DomainName.reverse(ip).toString();
    return query(reverse, RecordType.PTR)
        .thenCompose(
            answer -> {
              if (answer instanceof DnsAnswer.TempFailure<String> failure) {
                return done(new Validated(List.of(), false, failure.reason()));
              }
              if (answer.isEmpty()) {
                return done(new Validated(List.of(), true, null));
              }
              List<String> names = new ArrayList<>();
              List<String> records = answer.values();
              int max = budget.limits().maxPtrNames();
              // §4.6.4: PTR records beyond the first 10 are ignored, whatever they hold
              for (String name : records.subList(0, Math.min(max, records.size()))) {
                String bare = DomainName.withoutRootDot(name);
                if (isLookupName(bare)) {
                  names.add(bare);
                }
              }
              RecordType<InetAddress> type = ip4 ? RecordType.A : RecordType.AAAA;
              List<CompletableFuture<DnsAnswer<InetAddress>>> lookups = new ArrayList<>();
              for (String name : names) {
                lookups.add(query(name, type).toCompletableFuture());
              }
              return CompletableFuture.allOf(lookups.toArray(CompletableFuture[]::new))
                  .thenApply(
                      ignored -> {
                        List<String> valid = new ArrayList<>();
                        for (int i = 0; i < names.size(); i++) {
                          // §5.5: a DNS error on one name skips that name
                          for (InetAddress address : lookups.get(i).join().values()) {
                            if (Arrays.equals(address.getAddress(), ip.getAddress())) {
                              valid.add(names.get(i));
                              break;
                            }
                          }
                        }
                        return new Validated(List.copyOf(valid), false, null);
                      });
            });
  }

  /** The {@code p} macro's value for {@code domain} (RFC 7208 §7.3). */
  private CompletionStage<String> validatedName(String domain) {
    return validated()
        .thenApply(
            v -> {
              for (String name : v.names()) {
                if (name.equalsIgnoreCase(domain)) {
                  return name;
                }
              }
              for (String name : v.names()) {
                if (isAtOrBelow(name, domain)) {
                  return name;
                }
              }
              return v.names().isEmpty() ? "unknown" : v.names().get(0);
            });
  }

  /**
   * True when {@code name} can be asked for in the DNS: labels of 1 to 63 octets, at most 253
   * characters (RFC 1035 §2.3.4; a label may hold any octet, RFC 2181 §11, so a macro may expand to
   * spaces).
   */
  static boolean isLookupName(String name) {
    return DomainName.parseDnsName(name).value().isPresent();
  }

  /** True when {@code name} equals {@code domain} or lies below it, ignoring case and dots. */
  private static boolean isAtOrBelow(String name, String domain) {
    Optional<DomainName> n = DomainName.parseDnsName(name).value();
    Optional<DomainName> d = DomainName.parseDnsName(domain).value();
    return n.isPresent() && d.isPresent() && n.get().isAtOrBelow(d.get());
  }

  /**
   * Null when {@code name} is a domain that check_host() may start at (RFC 7208 §4.3): a fully
   * qualified, multi-label name that can be looked up, whose last label is not all digits (an IP
   * address is not a domain) and that is not a domain literal. Otherwise what is wrong.
   */
  static String checkHostProblem(String name) {
    String bare = DomainName.withoutRootDot(name);
    if (bare.startsWith("[")) {
      return "'" + Sanitizer.printable(name) + "' is an address literal, not a domain";
    }
    String problem = DomainName.parseDnsName(bare).problem().orElse(null);
    if (problem == null && !bare.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      problem =
          "the name has a character that is not printable ASCII (an IDN must be given in A-labels, or in U-labels that IDNA2008 allows)";
    }
    if (problem != null) {
      return "'" + Sanitizer.printable(name) + "' is malformed: " + problem;
    }
    int dot = bare.lastIndexOf('.');
    if (dot < 0) {
      return "'" + Sanitizer.printable(name) + "' is not a fully qualified (multi-label) domain";
    }
    String top = bare.substring(dot + 1);
    if (top.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return "'" + Sanitizer.printable(name) + "' ends in a numeric label, so it is not a domain";
    }
    return null;
  }

  // ---- explanation (§6.2) ----------------------------------------------------------------------

  private CompletionStage<String> explanation(SpfRecord record, MacroContext ctx) {
    if (record.explanation().isEmpty()) {
      return defaultExplanation(ctx);
    }
    return expandTarget(record.explanation().get(), ctx)
        .thenCompose(
            name -> {
              if (!isLookupName(name)) {
                return defaultExplanation(ctx);
              }
              return query(name, RecordType.TXT)
                  .thenCompose(
                      answer -> {
                        if (!(answer instanceof DnsAnswer.Records<String> records)
                            || records.records().size() != 1) {
                          return defaultExplanation(ctx);
                        }
                        MacroString text;
                        try {
                          text =
                              MacroString.parse(
                                  records.records().get(0), MacroString.Kind.EXPLANATION);
                        } catch (SyntaxError e) {
                          return defaultExplanation(ctx);
                        }
                        return expandExplanation(text, ctx);
                      });
            });
  }

  private CompletionStage<String> defaultExplanation(MacroContext ctx) {
    return expandExplanation(defaultExplanation, ctx);
  }

  private CompletionStage<String> expandExplanation(MacroString text, MacroContext ctx) {
    CompletionStage<MacroContext> withP =
        text.uses('p') ? validatedName(ctx.domain()).thenApply(ctx::withValidatedName) : done(ctx);
    return withP.thenApply(
        c -> Sanitizer.printable(MacroExpander.expand(text, c), MAX_EXPLANATION_LENGTH));
  }

  /** Explanations longer than this are cut (they end up in an SMTP reply line). */
  static final int MAX_EXPLANATION_LENGTH = 512;

  // ---- DNS -------------------------------------------------------------------------------------

  private <T> CompletionStage<DnsAnswer<T>> query(String name, RecordType<T> type) {
    if (budget.expired(clock.instant())) {
      return done(
          new DnsAnswer.TempFailure<>(
              "the SPF check took longer than "
                  + budget.limits().maxElapsed().toSeconds()
                  + " s (RFC 7208 §4.6.4)"));
    }
    budget.countQuery();
    CompletionStage<DnsAnswer<T>> stage;
    try {
      stage = dns.lookup(name, type);
    } catch (RuntimeException e) {
      return done(new DnsAnswer.TempFailure<>("resolver failed: " + e));
    }
    return stage.handle(
        (answer, error) -> {
          if (error != null || answer == null) {
            return new DnsAnswer.TempFailure<>("resolver failed: " + error);
          }
          if (answer instanceof DnsAnswer.Records<T> records) {
            budget.seeTtl(records.ttl());
          } else if (answer instanceof DnsAnswer.NxDomain<T> nx) {
            budget.seeTtl(nx.ttl());
          } else if (answer instanceof DnsAnswer.NoData<T> noData) {
            budget.seeTtl(noData.ttl());
          }
          return answer;
        });
  }

  private static String dnsError(String name, RecordType<?> type, DnsAnswer.TempFailure<?> f) {
    return "DNS error looking up "
        + type.name()
        + " "
        + name.toLowerCase(Locale.ROOT)
        + ": "
        + Sanitizer.printable(f.reason())
        + " (RFC 7208 §5)";
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
