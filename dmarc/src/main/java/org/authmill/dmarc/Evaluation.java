package org.authmill.dmarc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.authmill.dns.DomainName;

/** One message's DMARC evaluation: the steps of RFC 9989 §5.3.2 to §5.3.6 for each domain. */
final class Evaluation {
  private final DmarcEvaluator settings;
  private final RecordFetcher fetcher;
  private final Optional<SpfCheck> spf;
  private final List<DkimCheck> dkim;
  private final int dkimIgnored;
  private final TreeWalkOrganizationalDomain treeWalk;
  private final PolicyDiscovery discovery;
  private final Map<String, CompletableFuture<OrganizationalDomainResult>> organizational =
      new HashMap<>();

  Evaluation(
      DmarcEvaluator settings,
      RecordFetcher fetcher,
      Optional<SpfCheck> spf,
      List<DkimCheck> dkim) {
    this.settings = settings;
    this.fetcher = fetcher;
    this.spf = spf;
    this.dkim = List.copyOf(dkim.subList(0, Math.min(dkim.size(), settings.maxDkimChecks)));
    this.dkimIgnored = dkim.size() - this.dkim.size();
    this.treeWalk = new TreeWalkOrganizationalDomain(fetcher, settings.queryLimit);
    this.discovery =
        new PolicyDiscovery(fetcher, settings.mode, settings.queryLimit, settings.publicSuffix);
  }

  CompletionStage<DmarcOutcome> run(AuthorDomains authors) {
    if (authors.domains().isEmpty()) {
      return done(
          outcome(
              DmarcResult.PERMERROR,
              null,
              "no Author Domain: " + joinProblems(authors, "the From: field names no domain"),
              List.of(),
              authors));
    }
    if (settings.authorDomainPolicy == AuthorDomainPolicy.SINGLE_DOMAIN_ONLY
        && !authors.isSingle()) {
      return done(
          outcome(
              DmarcResult.PERMERROR,
              null,
              "DMARC validation is not possible (RFC 9989 §5.3.1): "
                  + joinProblems(authors, "From: does not name exactly one domain"),
              List.of(),
              authors));
    }
    List<String> domains =
        authors.domains().subList(0, Math.min(authors.domains().size(), settings.maxAuthorDomains));
    boolean incomplete = domains.size() < authors.domains().size() || !authors.complete();
    return evaluateAll(domains, 0, new ArrayList<>())
        .thenApply(evaluations -> combine(evaluations, authors, incomplete));
  }

  private CompletionStage<List<DomainEvaluation>> evaluateAll(
      List<String> domains, int index, List<DomainEvaluation> done) {
    if (index >= domains.size()) {
      return done(done);
    }
    return evaluateDomain(domains.get(index))
        .thenCompose(
            evaluation -> {
              done.add(evaluation);
              return evaluateAll(domains, index + 1, done);
            });
  }

  private DmarcOutcome combine(
      List<DomainEvaluation> evaluations, AuthorDomains authors, boolean incomplete) {
    DomainEvaluation deciding =
        evaluations.stream().max(Comparator.comparingInt(Evaluation::severity)).orElseThrow();
    String prefix = "";
    if (evaluations.size() > 1 || !authors.problems().isEmpty()) {
      prefix =
          String.join("; ", authors.problems())
              + "; deciding domain "
              + deciding.authorDomain()
              + ": ";
    }
    if (incomplete && deciding.result() != DmarcResult.FAIL) {
      return outcome(
          DmarcResult.PERMERROR,
          deciding,
          "DMARC evaluation incomplete (RFC 9989 §11.5): "
              + joinProblems(authors, "")
              + (authors.domains().size() > settings.maxAuthorDomains
                  ? "; only the first " + settings.maxAuthorDomains + " author domains evaluated"
                  : ""),
          evaluations,
          authors);
    }
    if (!authors.wellFormed()
        && deciding.result() != DmarcResult.FAIL
        && deciding.result() != DmarcResult.TEMPERROR) {
      return outcome(
          DmarcResult.PERMERROR,
          deciding,
          "the From: field is repeated or malformed, so identifier alignment cannot occur (RFC"
              + " 9989 §4.4): "
              + joinProblems(authors, "")
              + (evaluations.size() == 1
                  ? "; on its own, " + deciding.authorDomain() + " gives "
                  : "; on their own, the author domains give ")
              + deciding.result().keyword(),
          evaluations,
          authors);
    }
    return new DmarcOutcome(
        deciding.result(),
        Optional.of(deciding.authorDomain()),
        deciding.policy(),
        deciding.disposition(),
        prefix + deciding.reason(),
        evaluations,
        authors,
        fetcher.queried());
  }

  /**
   * How strongly a domain's evaluation decides the message: a failure with the strictest
   * disposition first, then temperror, permerror, none, and pass last.
   */
  private static int severity(DomainEvaluation e) {
    return switch (e.result()) {
      case FAIL ->
          100 + 10 * e.disposition().ordinal() + e.policy().orElse(DmarcPolicy.NONE).ordinal();
      case TEMPERROR -> 40;
      case PERMERROR -> 30;
      case NONE -> 20;
      case PASS -> 10;
    };
  }

  private DmarcOutcome outcome(
      DmarcResult result,
      DomainEvaluation deciding,
      String reason,
      List<DomainEvaluation> evaluations,
      AuthorDomains authors) {
    return new DmarcOutcome(
        result,
        Optional.ofNullable(deciding).map(DomainEvaluation::authorDomain),
        Optional.ofNullable(deciding).flatMap(DomainEvaluation::policy),
        DmarcPolicy.NONE,
        reason,
        evaluations,
        authors,
        fetcher.queried());
  }

  private static String joinProblems(AuthorDomains authors, String fallback) {
    return authors.problems().isEmpty() ? fallback : String.join("; ", authors.problems());
  }

  // ---------------------------------------------------------------------------------------------
  // One Author Domain

  private CompletionStage<DomainEvaluation> evaluateDomain(String author) {
    return discovery
        .discover(author)
        .thenCompose(
            discovery -> {
              if (discovery instanceof Discovery.Absent absent) {
                return done(simple(author, DmarcResult.NONE, Optional.empty(), absent.detail()));
              }
              if (discovery instanceof Discovery.Failed failed) {
                return done(
                    simple(author, DmarcResult.TEMPERROR, Optional.empty(), failed.detail()));
              }
              return evaluateWithRecord(author, (Discovery.Found) discovery);
            });
  }

  private DomainEvaluation simple(
      String author, DmarcResult result, Optional<Discovery.Found> found, String reason) {
    return new DomainEvaluation(
        author,
        result,
        found.map(Discovery.Found::record),
        found.map(f -> f.lookup().domain()),
        found.flatMap(Discovery.Found::organizationalDomain),
        Optional.empty(),
        Optional.empty(),
        DmarcPolicy.NONE,
        false,
        false,
        List.of(),
        reason);
  }

  private CompletionStage<DomainEvaluation> evaluateWithRecord(
      String author, Discovery.Found found) {
    DmarcRecord record = found.record();
    String where = found.lookup().queryName();
    Optional<String> unusable = record.unusablePolicyReason(settings.mode);
    boolean actsAsNone = false;
    if (unusable.isPresent()) {
      if (record.aggregateReportUris().isEmpty()) {
        return done(
            simple(
                author,
                DmarcResult.PERMERROR,
                Optional.of(found),
                "the DMARC record at "
                    + where
                    + " is unusable: "
                    + unusable.get()
                    + " and rua holds no valid URI, so no DMARC processing applies (RFC 9989"
                    + " §4.10.1)"));
      }
      actsAsNone = true;
    }
    boolean none = actsAsNone;
    found
        .organizationalDomain()
        .ifPresent(
            org ->
                organizational.putIfAbsent(
                    author,
                    CompletableFuture.completedFuture(
                        new OrganizationalDomainResult.Found(org, "policy discovery"))));
    return checkAll(author, record)
        .thenCompose(
            checks -> {
              DmarcResult result = resultOf(checks);
              return choosePolicy(author, found, record, none, result)
                  .thenApply(choice -> finish(author, found, record, checks, result, choice));
            });
  }

  private DomainEvaluation finish(
      String author,
      Discovery.Found found,
      DmarcRecord record,
      List<AlignmentCheck> checks,
      DmarcResult mechanismResult,
      PolicyChoice choice) {
    DmarcResult result = choice.failure().isPresent() ? DmarcResult.TEMPERROR : mechanismResult;
    DmarcPolicy disposition = DmarcPolicy.NONE;
    boolean testing = false;
    boolean sampledOut = false;
    String dispositionNote = "";
    if (result == DmarcResult.FAIL) {
      disposition = choice.policy();
      if (settings.mode == DmarcMode.RFC9989
          && record.testing()
          && disposition != DmarcPolicy.NONE) {
        disposition = disposition.weaker();
        testing = true;
        dispositionNote =
            "; t=y (testing): "
                + disposition.keyword()
                + " instead of "
                + choice.policy().keyword();
      } else if (settings.mode == DmarcMode.RFC7489
          && record.percent().isPresent()
          && record.percent().getAsInt() < 100
          && disposition != DmarcPolicy.NONE) {
        if (settings.percentile() >= record.percent().getAsInt()) {
          disposition = disposition.weaker();
          sampledOut = true;
          dispositionNote =
              "; pct="
                  + record.percent().getAsInt()
                  + " and this message was not sampled: "
                  + disposition.keyword()
                  + " instead of "
                  + choice.policy().keyword();
        }
      }
    }
    String policyText =
        choice.tag().tag()
            + "="
            + choice.policy().keyword()
            + " from "
            + found.lookup().queryName()
            + " ("
            + found.source().words
            + ")"
            + choice.note();
    String reason =
        switch (result) {
          case PASS ->
              "pass: "
                  + checks.stream()
                      .filter(AlignmentCheck::alignedPass)
                      .findFirst()
                      .map(Evaluation::describe)
                      .orElse("")
                  + "; "
                  + policyText;
          case FAIL ->
              "fail: no authenticated identifier is aligned with "
                  + author
                  + " ("
                  + summary(checks)
                  + "); "
                  + policyText
                  + dispositionNote;
          default ->
              choice.failure().isPresent()
                  ? choice.failure().get()
                  : "temperror: "
                      + checks.stream()
                          .filter(
                              c ->
                                  c.alignment() == Alignment.UNKNOWN
                                      || (c.result().equals("temperror")
                                          && c.alignment().aligned()))
                          .map(Evaluation::describe)
                          .collect(Collectors.joining("; "))
                      + "; a later attempt may pass";
        };
    return new DomainEvaluation(
        author,
        result,
        Optional.of(record),
        Optional.of(found.lookup().domain()),
        organizationalDomainOf(author, found),
        Optional.of(choice.tag()),
        Optional.of(choice.policy()),
        disposition,
        testing,
        sampledOut,
        checks,
        reason);
  }

  private Optional<String> organizationalDomainOf(String author, Discovery.Found found) {
    if (found.organizationalDomain().isPresent()) {
      return found.organizationalDomain();
    }
    CompletableFuture<OrganizationalDomainResult> known = organizational.get(author);
    if (known != null && known.getNow(null) instanceof OrganizationalDomainResult.Found org) {
      return Optional.of(org.domain());
    }
    return Optional.empty();
  }

  // ---------------------------------------------------------------------------------------------
  // Policy selection (RFC 9989 §4.10.1)

  private record PolicyChoice(
      PolicyTag tag, DmarcPolicy policy, String note, Optional<String> failure) {}

  private CompletionStage<PolicyChoice> choosePolicy(
      String author,
      Discovery.Found found,
      DmarcRecord record,
      boolean actsAsNone,
      DmarcResult result) {
    if (actsAsNone) {
      return done(
          new PolicyChoice(
              PolicyTag.P,
              DmarcPolicy.NONE,
              "; the record acts as p=none because "
                  + record.unusablePolicyReason(settings.mode).orElse("")
                  + " and rua holds a valid URI (RFC 9989 §4.10.1)",
              Optional.empty()));
    }
    DmarcPolicy p = record.policy().orElseThrow();
    if (found.source() == Discovery.Source.AUTHOR_DOMAIN) {
      return done(new PolicyChoice(PolicyTag.P, p, "", Optional.empty()));
    }
    PolicyChoice existing =
        record.subdomainPolicy().isPresent()
            ? new PolicyChoice(PolicyTag.SP, record.subdomainPolicy().get(), "", Optional.empty())
            : new PolicyChoice(
                PolicyTag.P, p, "; no sp tag, so p applies to subdomains", Optional.empty());
    if (settings.mode == DmarcMode.RFC7489 || record.nonExistentPolicy().isEmpty()) {
      return done(existing);
    }
    DmarcPolicy np = record.nonExistentPolicy().get();
    return fetcher
        .exists(author)
        .thenApply(
            existence ->
                switch (existence) {
                  case EXISTS ->
                      new PolicyChoice(
                          existing.tag(),
                          existing.policy(),
                          "; " + author + " exists" + existing.note(),
                          Optional.empty());
                  case DOES_NOT_EXIST ->
                      new PolicyChoice(
                          PolicyTag.NP,
                          np,
                          "; " + author + " does not exist (NXDOMAIN)",
                          Optional.empty());
                  case UNKNOWN ->
                      result == DmarcResult.FAIL && np != existing.policy()
                          ? new PolicyChoice(
                              existing.tag(),
                              existing.policy(),
                              "",
                              Optional.of(
                                  "temperror: the DNS lookup of "
                                      + author
                                      + " failed, so whether sp or np applies is unknown (RFC 9989"
                                      + " §5.3.6)"))
                          : new PolicyChoice(
                              existing.tag(),
                              existing.policy(),
                              "; whether "
                                  + author
                                  + " exists is unknown (DNS failure)"
                                  + existing.note(),
                              Optional.empty());
                });
  }

  // ---------------------------------------------------------------------------------------------
  // Identifier alignment (RFC 9989 §4.4, §4.10.2, §5.3.4)

  private CompletionStage<List<AlignmentCheck>> checkAll(String author, DmarcRecord record) {
    List<CheckInput> inputs = new ArrayList<>();
    spf.ifPresent(
        s ->
            inputs.add(
                new CheckInput(
                    AuthMechanism.SPF,
                    s.domain(),
                    Optional.empty(),
                    s.result(),
                    record.spfAlignment())));
    for (DkimCheck d : dkim) {
      inputs.add(
          new CheckInput(
              AuthMechanism.DKIM,
              d.domain(),
              Optional.of(d.selector()),
              d.result(),
              record.dkimAlignment()));
    }
    return checkEach(author, inputs, 0, new ArrayList<>());
  }

  private record CheckInput(
      AuthMechanism mechanism,
      String domain,
      Optional<String> selector,
      String result,
      AlignmentMode mode) {}

  private CompletionStage<List<AlignmentCheck>> checkEach(
      String author, List<CheckInput> inputs, int index, List<AlignmentCheck> done) {
    if (index >= inputs.size()) {
      return done(done);
    }
    return check(author, inputs.get(index))
        .thenCompose(
            c -> {
              done.add(c);
              return checkEach(author, inputs, index + 1, done);
            });
  }

  private CompletionStage<AlignmentCheck> check(String author, CheckInput in) {
    Optional<DomainName> normal =
        DomainName.parse(in.domain()).value().map(DomainName::toLowerCase);
    String domain = normal.map(DomainName::toString).orElse(in.domain());
    if (!in.result().equals("pass") && !in.result().equals("temperror")) {
      return done(
          result(
              in,
              domain,
              Alignment.NOT_CHECKED,
              "result " + in.result() + " authenticates nothing"));
    }
    if (normal.isEmpty()) {
      return done(
          result(in, domain, Alignment.UNALIGNED, "'" + in.domain() + "' is not a domain name"));
    }
    if (domain.equals(author)) {
      return done(result(in, domain, Alignment.STRICT, "identical to the Author Domain"));
    }
    if (in.mode() == AlignmentMode.STRICT) {
      return done(
          result(
              in,
              domain,
              Alignment.UNALIGNED,
              "strict alignment ("
                  + (in.mechanism() == AuthMechanism.SPF ? "aspf" : "adkim")
                  + "=s) needs exactly "
                  + author));
    }
    return organizationalDomain(author)
        .thenCompose(
            authorOrg -> {
              if (authorOrg instanceof OrganizationalDomainResult.TempFailure failure) {
                return done(result(in, domain, Alignment.UNKNOWN, failure.reason()));
              }
              String org = ((OrganizationalDomainResult.Found) authorOrg).domain();
              if (!normal.get().isAtOrBelow(DomainName.parse(org).value().orElseThrow())) {
                return done(
                    result(
                        in,
                        domain,
                        Alignment.UNALIGNED,
                        "not within " + org + ", the Organizational Domain of " + author));
              }
              return organizationalDomain(domain)
                  .thenApply(
                      own -> {
                        if (own instanceof OrganizationalDomainResult.TempFailure failure) {
                          return result(in, domain, Alignment.UNKNOWN, failure.reason());
                        }
                        String ownOrg = ((OrganizationalDomainResult.Found) own).domain();
                        return ownOrg.equals(org)
                            ? result(
                                in,
                                domain,
                                Alignment.RELAXED,
                                "same Organizational Domain as " + author + ": " + org)
                            : result(
                                in,
                                domain,
                                Alignment.UNALIGNED,
                                "its Organizational Domain is "
                                    + ownOrg
                                    + " ("
                                    + ((OrganizationalDomainResult.Found) own).basis()
                                    + "), not "
                                    + org);
                      });
            });
  }

  private static AlignmentCheck result(
      CheckInput in, String domain, Alignment alignment, String reason) {
    return new AlignmentCheck(
        in.mechanism(), domain, in.selector(), in.result(), in.mode(), alignment, reason);
  }

  private CompletionStage<OrganizationalDomainResult> organizationalDomain(String domain) {
    CompletableFuture<OrganizationalDomainResult> known = organizational.get(domain);
    if (known != null) {
      return known;
    }
    CompletableFuture<OrganizationalDomainResult> future =
        (settings.mode == DmarcMode.RFC9989
                ? treeWalk.find(domain)
                : settings.publicSuffix.find(domain))
            .toCompletableFuture();
    organizational.put(domain, future);
    return future;
  }

  private static DmarcResult resultOf(List<AlignmentCheck> checks) {
    if (checks.stream().anyMatch(AlignmentCheck::alignedPass)) {
      return DmarcResult.PASS;
    }
    if (checks.stream()
        .anyMatch(c -> c.result().equals("pass") && c.alignment() == Alignment.UNKNOWN)) {
      return DmarcResult.TEMPERROR;
    }
    if (checks.stream()
        .anyMatch(
            c ->
                c.result().equals("temperror")
                    && (c.alignment().aligned() || c.alignment() == Alignment.UNKNOWN))) {
      return DmarcResult.TEMPERROR;
    }
    return DmarcResult.FAIL;
  }

  private String summary(List<AlignmentCheck> checks) {
    if (checks.isEmpty()) {
      return "no SPF or DKIM result was given";
    }
    String text = checks.stream().map(Evaluation::describe).collect(Collectors.joining("; "));
    return dkimIgnored > 0 ? text + "; " + dkimIgnored + " more DKIM results not checked" : text;
  }

  private static String describe(AlignmentCheck c) {
    String who =
        c.mechanism() == AuthMechanism.SPF
            ? "SPF " + c.domain()
            : "DKIM d=" + c.domain() + c.selector().map(s -> " s=" + s).orElse("");
    String how =
        switch (c.alignment()) {
          case STRICT -> "strictly aligned";
          case RELAXED -> "aligned (relaxed)";
          case UNALIGNED -> "not aligned";
          case UNKNOWN -> "alignment unknown";
          case NOT_CHECKED -> "";
        };
    return who + " " + c.result() + (how.isEmpty() ? "" : ", " + how) + ": " + c.reason();
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
