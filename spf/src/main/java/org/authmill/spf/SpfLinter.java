package org.authmill.spf;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DomainName;

/**
 * Checks a published SPF record the way a domain owner needs: syntax (RFC 7208 §4.6), the total of
 * DNS-querying terms through every nested {@code include} and {@code redirect} against the limit of
 * 10 and names that answer nothing against the void-lookup limit of 2 (§4.6.4), MX sets over 10
 * names, loops, record size against the 255-octet character-string and 512-octet UDP answer sizes
 * (§3.3, §3.4), and common mistakes ({@code +all}, {@code ptr}, no {@code all}), each with advice.
 * Terms whose targets hold macros are counted but not followed. At most {@link #MAX_RECORDS}
 * records are fetched.
 */
public final class SpfLinter {

  /** The most records one lint follows through includes and redirects. */
  public static final int MAX_RECORDS = 50;

  private final DnsResolver dns;

  /** A linter that asks {@code dns}. */
  public SpfLinter(DnsResolver dns) {
    this.dns = dns;
  }

  /** Lints the SPF record of {@code domain} and everything it includes. */
  public CompletionStage<SpfLintReport> lint(String domain) {
    String top = DomainName.withoutRootDot(domain).toLowerCase(Locale.ROOT);
    State state = new State();
    String problem = Evaluation.checkHostProblem(top);
    if (problem != null) {
      state.add(SpfLintReport.Severity.ERROR, problem);
      return CompletableFuture.completedFuture(state.report(top, null));
    }
    return visit(top, state, 0, "")
        .thenApply(
            record -> {
              if (state.terms > 10) {
                state.add(
                    SpfLintReport.Severity.ERROR,
                    state.terms
                        + " DNS-querying terms in all (include, a, mx, ptr, exists, redirect, counted"
                        + " through nested records); receivers stop at 10 with permerror"
                        + " (RFC 7208 §4.6.4). Replace a and mx by ip4/ip6, drop includes you do"
                        + " not send through, or flatten includes into ip4/ip6 ranges.");
              } else if (state.terms >= 8) {
                state.add(
                    SpfLintReport.Severity.WARNING,
                    state.terms
                        + " of the 10 DNS-querying terms are used; a provider adding one include"
                        + " can push the record over the limit (RFC 7208 §4.6.4).");
              }
              if (state.voids > 2) {
                state.add(
                    SpfLintReport.Severity.ERROR,
                    state.voids
                        + " terms name domains that answer nothing; receivers stop after 2 such"
                        + " void lookups with permerror (RFC 7208 §4.6.4). Remove them.");
              }
              return state.report(top, record);
            });
  }

  private static final class State {
    final List<SpfLintReport.Finding> findings = new ArrayList<>();
    final Set<String> visiting = new HashSet<>();
    int terms;
    int voids;
    int records;

    void add(SpfLintReport.Severity severity, String message) {
      findings.add(new SpfLintReport.Finding(severity, message));
    }

    SpfLintReport report(String domain, String record) {
      return new SpfLintReport(
          domain,
          Optional.ofNullable(record),
          record == null ? 0 : record.getBytes(StandardCharsets.UTF_8).length,
          terms,
          voids,
          findings);
    }
  }

  /** Fetches and checks one record; completes with its text (null if none). */
  private CompletionStage<String> visit(String domain, State state, int depth, String via) {
    String where = depth == 0 ? domain : domain + " (" + via + ")";
    if (!state.visiting.add(domain)) {
      state.add(
          SpfLintReport.Severity.ERROR,
          "loop: "
              + where
              + " is reached again through its own includes or redirects;"
              + " every receiver ends this with permerror (RFC 7208 §4.6.4)");
      return CompletableFuture.completedFuture(null);
    }
    if (++state.records > MAX_RECORDS) {
      state.add(SpfLintReport.Severity.ERROR, "more than " + MAX_RECORDS + " records; stopped");
      return CompletableFuture.completedFuture(null);
    }
    return dns.txt(domain)
        .<String>thenCompose(
            answer -> {
              if (answer instanceof DnsAnswer.TempFailure<String> f) {
                state.add(
                    SpfLintReport.Severity.ERROR,
                    "DNS error looking up TXT " + where + ": " + Sanitizer.printable(f.reason()));
                return CompletableFuture.completedFuture((String) null);
              }
              List<String> spf = answer.values().stream().filter(SpfParser::isSpfRecord).toList();
              if (spf.isEmpty()) {
                state.add(
                    SpfLintReport.Severity.ERROR,
                    where
                        + " publishes no SPF record"
                        + (depth == 0
                            ? ": publish a TXT record such as \"v=spf1 mx -all\" (RFC 7208 §3)"
                            : "; receivers give permerror for an include or redirect of it"
                                + " (RFC 7208 §5.2, §6.1)"));
                return CompletableFuture.completedFuture((String) null);
              }
              if (spf.size() > 1) {
                state.add(
                    SpfLintReport.Severity.ERROR,
                    where
                        + " publishes "
                        + spf.size()
                        + " SPF records; receivers give permerror: merge them into one"
                        + " (RFC 7208 §4.5)");
                return CompletableFuture.completedFuture((String) null);
              }
              String text = spf.get(0);
              size(text, where, state);
              SpfParseResult parsed = SpfParser.parse(text);
              if (parsed instanceof SpfParseResult.Invalid invalid) {
                state.add(
                    SpfLintReport.Severity.ERROR,
                    "syntax error in the record of "
                        + where
                        + " at "
                        + invalid.describe()
                        + "; receivers give permerror (RFC 7208 §4.6)");
                return CompletableFuture.completedFuture(text);
              }
              SpfRecord record = ((SpfParseResult.Parsed) parsed).record();
              return terms(record, domain, where, state, depth).thenApply(v -> text);
            })
        // a loop is a name met again below itself; a dead end met twice (a diamond) is not one
        .whenComplete((text, error) -> state.visiting.remove(domain));
  }

  private static void size(String text, String where, State state) {
    int bytes = text.getBytes(StandardCharsets.UTF_8).length;
    if (bytes > 450) {
      state.add(
          SpfLintReport.Severity.WARNING,
          "the record of "
              + where
              + " is "
              + bytes
              + " octets; keep it under 450 so the whole DNS answer fits in 512 octets of UDP"
              + " (RFC 7208 §3.4)");
    } else if (bytes > 255) {
      state.add(
          SpfLintReport.Severity.NOTE,
          "the record of "
              + where
              + " is "
              + bytes
              + " octets, more than one 255-octet string: publish it as several quoted strings"
              + " in one TXT record, which receivers join without spaces (RFC 7208 §3.3)");
    }
  }

  private CompletionStage<Void> terms(
      SpfRecord record, String domain, String where, State state, int depth) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    boolean hasAll = record.hasAll();
    for (Directive directive : record.directives()) {
      Mechanism m = directive.mechanism();
      if (m.queriesDns()) {
        state.terms++;
      }
      if (m instanceof Mechanism.All && directive.qualifier() == Qualifier.PASS) {
        state.add(
            SpfLintReport.Severity.ERROR,
            "'"
                + directive.text()
                + "' in "
                + where
                + " lets every host on the Internet pass:"
                + " end with -all or ~all (RFC 7208 §5.1)");
      }
      if (m instanceof Mechanism.Ptr) {
        state.add(
            SpfLintReport.Severity.WARNING,
            "'"
                + directive.text()
                + "' in "
                + where
                + ": ptr is slow and unreliable and SHOULD"
                + " NOT be used; list the addresses with ip4/ip6 (RFC 7208 §5.5)");
      }
      if (m instanceof Mechanism.Include include) {
        Optional<String> target = literal(include.domainSpec(), domain);
        if (target.isPresent()) {
          chain =
              chain
                  .thenCompose(v -> visit(target.get(), state, depth + 1, "include of " + where))
                  .thenApply(t -> null);
        }
      } else if (m instanceof Mechanism.A a) {
        Optional<String> target =
            a.domainSpec().isEmpty() ? Optional.of(domain) : literal(a.domainSpec().get(), domain);
        if (target.isPresent()) {
          chain = chain.thenCompose(v -> addressVoid(target.get(), directive, where, state));
        }
      } else if (m instanceof Mechanism.Mx mx) {
        Optional<String> target =
            mx.domainSpec().isEmpty()
                ? Optional.of(domain)
                : literal(mx.domainSpec().get(), domain);
        if (target.isPresent()) {
          chain = chain.thenCompose(v -> mxCheck(target.get(), directive, where, state));
        }
      } else if (m instanceof Mechanism.Exists exists) {
        if (exists.domainSpec().isLiteral()) {
          state.add(
              SpfLintReport.Severity.NOTE,
              "'"
                  + directive.text()
                  + "' in "
                  + where
                  + " has no macro, so it gives the same"
                  + " answer for every sender");
        }
      }
    }
    if (record.redirect().isPresent()) {
      if (hasAll) {
        state.add(
            SpfLintReport.Severity.WARNING,
            "redirect= in "
                + where
                + " is ignored because the record has an all mechanism"
                + " (RFC 7208 §6.1): remove one of them");
      } else {
        state.terms++;
        Optional<String> target = literal(record.redirect().get(), domain);
        if (target.isPresent()) {
          chain =
              chain
                  .thenCompose(v -> visit(target.get(), state, depth + 1, "redirect of " + where))
                  .thenApply(t -> null);
        }
      }
    } else if (!hasAll && depth == 0) {
      state.add(
          SpfLintReport.Severity.WARNING,
          "the record of "
              + where
              + " has no all mechanism, so unlisted hosts get neutral"
              + " (RFC 7208 §4.7): end it with ~all or -all");
    }
    return chain.whenComplete((v, e) -> state.visiting.remove(domain));
  }

  /** The target of a domain-spec without macros, or empty. */
  private static Optional<String> literal(MacroString spec, String domain) {
    if (!spec.isLiteral()) {
      return Optional.empty();
    }
    String name = MacroExpander.truncate(spec.source()).toLowerCase(Locale.ROOT);
    return Evaluation.isLookupName(name) ? Optional.of(name) : Optional.empty();
  }

  private CompletionStage<Void> addressVoid(
      String name, Directive directive, String where, State state) {
    CompletionStage<DnsAnswer<InetAddress>> a = dns.a(name);
    CompletionStage<DnsAnswer<InetAddress>> aaaa = dns.aaaa(name);
    return a.thenCombine(
        aaaa,
        (four, six) -> {
          if (four.isEmpty() && six.isEmpty()) {
            state.voids++;
            state.add(
                SpfLintReport.Severity.WARNING,
                "'"
                    + directive.text()
                    + "' in "
                    + where
                    + ": "
                    + name
                    + " has no A or AAAA record, so the term is a void lookup (RFC 7208 §4.6.4):"
                    + " remove it or publish the addresses");
          }
          return null;
        });
  }

  private CompletionStage<Void> mxCheck(
      String name, Directive directive, String where, State state) {
    return dns.mx(name)
        .thenAccept(
            answer -> {
              if (answer.isEmpty()) {
                state.voids++;
                state.add(
                    SpfLintReport.Severity.WARNING,
                    "'"
                        + directive.text()
                        + "' in "
                        + where
                        + ": "
                        + name
                        + " has no MX record, so the term is a void lookup (RFC 7208 §4.6.4)");
              } else if (answer.values().size() > 10) {
                state.add(
                    SpfLintReport.Severity.ERROR,
                    "'"
                        + directive.text()
                        + "' in "
                        + where
                        + ": "
                        + name
                        + " has "
                        + answer.values().size()
                        + " MX records; receivers give permerror above 10 (RFC 7208 §4.6.4):"
                        + " use ip4/ip6 instead");
              }
            });
  }
}
