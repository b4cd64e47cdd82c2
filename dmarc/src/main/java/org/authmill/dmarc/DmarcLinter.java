package org.authmill.dmarc;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DomainName;
import org.authmill.dns.Excerpt;

/**
 * Checks a domain's published DMARC set-up the way an RFC 9989 receiver will see it, and says what
 * to fix: the record's syntax (§4.7, §4.8), where the policy for mail from the domain comes from
 * (the DNS Tree Walk of §4.10.1), its Organizational Domain (§4.10.2), whether every external
 * {@code rua}/{@code ruf} destination has authorized the reports with a {@code
 * <domain>._report._dmarc.<destination>} TXT record (RFC 9990 §3, §11.6 of RFC 9989), and advice on
 * historic tags, testing and monitoring modes.
 */
public final class DmarcLinter {
  private final DnsResolver resolver;
  private final int queryLimit;

  private DmarcLinter(DnsResolver resolver, int queryLimit) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.queryLimit = TreeWalkOrganizationalDomain.checkLimit(queryLimit);
  }

  /** A linter asking the given resolver, with the tree walk's limit of 8 queries. */
  public static DmarcLinter using(DnsResolver resolver) {
    return new DmarcLinter(resolver, TreeWalkOrganizationalDomain.DEFAULT_QUERY_LIMIT);
  }

  /**
   * Lints the DMARC set-up of a domain.
   *
   * @throws IllegalArgumentException if the text is not a domain name
   */
  public CompletionStage<LintReport> lint(String domain) {
    String name =
        DomainName.parse(domain)
            .value()
            .map(d -> d.toLowerCase().toString())
            .orElseThrow(() -> new IllegalArgumentException("not a domain name: " + domain));
    return new Run(name).run();
  }

  /** One lint. */
  private final class Run {
    private final String domain;
    private final RecordFetcher fetcher = new RecordFetcher(resolver);
    private final TreeWalkOrganizationalDomain walk;
    private final List<LintFinding> findings = new ArrayList<>();
    private List<String> published = List.of();
    private Discovery.Found found;
    private String organizationalDomain;
    private PolicyTag tag;
    private DmarcPolicy policy;
    private boolean tempFailure;

    Run(String domain) {
      this.domain = domain;
      this.walk = new TreeWalkOrganizationalDomain(fetcher, queryLimit);
    }

    private void add(LintFinding.Severity severity, String message) {
      findings.add(new LintFinding(severity, message));
    }

    CompletionStage<LintReport> run() {
      return fetcher
          .lookup(domain)
          .thenCompose(
              own -> {
                published = own.texts();
                checkPublished(own);
                if (own.kind() == PolicyLookup.Kind.TEMPFAIL) {
                  tempFailure = true;
                  add(
                      LintFinding.Severity.ERROR,
                      "cannot look up " + own.queryName() + ": " + own.detail());
                  return done(null);
                }
                return new PolicyDiscovery(fetcher, DmarcMode.RFC9989, queryLimit, null)
                    .discover(domain)
                    .thenCompose(this::afterDiscovery);
              })
          .thenApply(
              ignored ->
                  new LintReport(
                      domain,
                      published,
                      Optional.ofNullable(found).map(Discovery.Found::record),
                      Optional.ofNullable(found).map(f -> f.lookup().domain()),
                      Optional.ofNullable(organizationalDomain),
                      Optional.ofNullable(tag),
                      Optional.ofNullable(policy),
                      findings,
                      tempFailure,
                      fetcher.queried()));
    }

    private void checkPublished(PolicyLookup own) {
      String name = own.queryName();
      for (String text : own.texts()) {
        if (!DmarcRecord.isDmarcRecord(text) && text.toLowerCase(Locale.ROOT).contains("dmarc1")) {
          add(
              LintFinding.Severity.ERROR,
              "TXT \""
                  + Excerpt.of(text)
                  + "\" at "
                  + name
                  + " looks like a DMARC record but does not start with v=DMARC1 (first, exactly"
                  + " this case, nothing before it), so receivers ignore it (RFC 9989 §4.7)");
        }
      }
      if (own.kind() == PolicyLookup.Kind.MULTIPLE) {
        add(
            LintFinding.Severity.ERROR,
            own.detail() + ": receivers use none of them; publish exactly one record");
      }
    }

    private CompletionStage<Void> afterDiscovery(Discovery discovery) {
      if (discovery instanceof Discovery.Failed failed) {
        tempFailure = true;
        add(LintFinding.Severity.ERROR, failed.detail() + "; try again later");
        return done(null);
      }
      if (discovery instanceof Discovery.Absent absent) {
        add(
            LintFinding.Severity.ERROR,
            absent.detail()
                + ". Receivers apply no DMARC policy to mail from "
                + domain
                + ". Start with: _dmarc."
                + domain
                + ". TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@"
                + domain
                + "\" and move to p=quarantine, then p=reject, once the reports show all"
                + " legitimate mail aligned");
        return walk.find(domain).thenAccept(this::organizational);
      }
      found = (Discovery.Found) discovery;
      return choosePolicy()
          .thenCompose(ignored -> walk.find(domain))
          .thenAccept(this::organizational)
          .thenCompose(
              ignored -> {
                checkRecord();
                return checkDestinations();
              });
    }

    private void organizational(OrganizationalDomainResult result) {
      if (result instanceof OrganizationalDomainResult.Found org) {
        organizationalDomain = org.domain();
        add(
            LintFinding.Severity.INFO,
            "Organizational Domain of " + domain + ": " + org.domain() + " (" + org.basis() + ")");
      } else {
        tempFailure = true;
        add(
            LintFinding.Severity.WARNING,
            "Organizational Domain undetermined: "
                + ((OrganizationalDomainResult.TempFailure) result).reason());
      }
    }

    private CompletionStage<Void> choosePolicy() {
      DmarcRecord record = found.record();
      String where = found.lookup().queryName();
      if (found.source() == Discovery.Source.AUTHOR_DOMAIN) {
        tag = PolicyTag.P;
        policy = record.policy().orElse(null);
        add(LintFinding.Severity.OK, "DMARC record found at " + where + ": " + record.text());
        return done(null);
      }
      add(
          LintFinding.Severity.INFO,
          "no DMARC record at _dmarc."
              + domain
              + "; mail from "
              + domain
              + " gets the policy of "
              + where
              + " ("
              + found.source().words
              + " found by the tree walk): "
              + record.text());
      if (record.nonExistentPolicy().isEmpty()) {
        tag = record.subdomainPolicy().isPresent() ? PolicyTag.SP : PolicyTag.P;
        policy = record.effectiveSubdomainPolicy().orElse(null);
        return done(null);
      }
      return fetcher
          .exists(domain)
          .thenAccept(
              existence -> {
                if (existence == RecordFetcher.Existence.DOES_NOT_EXIST) {
                  tag = PolicyTag.NP;
                  policy = record.nonExistentPolicy().get();
                  add(
                      LintFinding.Severity.INFO,
                      domain + " does not exist (NXDOMAIN), so np applies");
                } else {
                  tag = record.subdomainPolicy().isPresent() ? PolicyTag.SP : PolicyTag.P;
                  policy = record.effectiveSubdomainPolicy().orElse(null);
                }
              });
    }

    private void checkRecord() {
      DmarcRecord record = found.record();
      String where = found.lookup().queryName();
      for (RecordProblem problem : record.problems()) {
        add(LintFinding.Severity.ERROR, where + ": " + problem.message());
      }
      Optional<String> unusable = record.unusablePolicyReason();
      if (unusable.isPresent()) {
        add(
            LintFinding.Severity.ERROR,
            where
                + ": "
                + unusable.get()
                + (record.aggregateReportUris().isEmpty()
                    ? ", and rua holds no valid URI, so receivers apply no DMARC processing at all"
                        + " (RFC 9989 §4.10.1); add p=none, p=quarantine or p=reject"
                    : ", so receivers treat the record as p=none (RFC 9989 §4.10.1); give a valid"
                        + " p (and sp, np) tag"));
        policy = DmarcPolicy.NONE;
        tag = PolicyTag.P;
      } else if (policy != null) {
        add(
            LintFinding.Severity.INFO,
            "policy for mail from " + domain + " that fails DMARC: " + tag + "=" + policy);
      }
      for (String unknown : record.unknownTags().keySet()) {
        add(
            LintFinding.Severity.WARNING,
            where + ": unknown tag '" + unknown + "' is ignored (a typo?)");
      }
      if (record.percent().isPresent()) {
        int pct = record.percent().getAsInt();
        add(
            pct == 100 ? LintFinding.Severity.INFO : LintFinding.Severity.WARNING,
            where
                + ": pct="
                + pct
                + " is historic (RFC 9989 Appendix A.6)"
                + (pct == 100
                    ? "; it is the default, remove it"
                    : ": RFC 9989 receivers apply the policy to all failing mail, RFC 7489"
                        + " receivers to "
                        + pct
                        + "% of it; use t=y to test a policy instead"));
      }
      if (!record.reportFormats().isEmpty() || record.reportInterval().isPresent()) {
        add(
            LintFinding.Severity.INFO,
            where + ": rf and ri are historic (RFC 9989 §9.3); RFC 9989 receivers ignore them");
      }
      if (record.testing()) {
        add(
            LintFinding.Severity.INFO,
            where
                + ": t=y (testing): receivers apply one level less than the policy (reject becomes"
                + " quarantine, quarantine becomes none); remove t=y when ready");
      }
      if (unusable.isEmpty() && policy == DmarcPolicy.NONE) {
        add(
            LintFinding.Severity.INFO,
            "p=none is monitoring mode: failing mail is delivered as usual. Once the aggregate"
                + " reports show that all your legitimate mail passes, move to quarantine, then"
                + " reject");
      }
      if (record.aggregateReportUris().isEmpty()) {
        add(
            LintFinding.Severity.WARNING,
            where
                + ": no rua, so no receiver sends aggregate reports and you cannot see who sends"
                + " mail as "
                + domain
                + "; add rua=mailto:dmarc-reports@"
                + found.lookup().domain());
      }
      if (record.failureReportUris().isEmpty()
          && !record.failureOptions().equals(Set.of(FailureOption.ALL_FAIL))) {
        add(LintFinding.Severity.INFO, where + ": fo has no effect without ruf");
      }
      if (record.dkimAlignment() == AlignmentMode.STRICT
          || record.spfAlignment() == AlignmentMode.STRICT) {
        add(
            LintFinding.Severity.INFO,
            where
                + ": strict alignment ("
                + (record.dkimAlignment() == AlignmentMode.STRICT ? "adkim=s " : "")
                + (record.spfAlignment() == AlignmentMode.STRICT ? "aspf=s" : "").strip()
                + "): DKIM d= and MAIL FROM domains must equal the From: domain exactly");
      }
      if (record.psd() == PsdFlag.YES) {
        add(
            LintFinding.Severity.INFO,
            where
                + ": psd=y marks "
                + found.lookup().domain()
                + " as a Public Suffix Domain; each domain one label below it is an"
                + " Organizational Domain");
      }
      if (found.source() == Discovery.Source.AUTHOR_DOMAIN
          && organizationalDomain != null
          && !organizationalDomain.equals(domain)) {
        add(
            LintFinding.Severity.WARNING,
            where
                + " is not at an Organizational Domain ("
                + organizationalDomain
                + " is): it applies to mail from "
                + domain
                + " itself only; subdomains of "
                + domain
                + " get the policy of _dmarc."
                + organizationalDomain
                + (record.subdomainPolicy().isPresent() || record.nonExistentPolicy().isPresent()
                    ? ", so its sp and np tags have no effect"
                    : "")
                + " (RFC 9989 §4.7, §4.10.2); add psd=n to make "
                + domain
                + " an Organizational Domain");
      }
    }

    private CompletionStage<Void> checkDestinations() {
      DmarcRecord record = found.record();
      List<String[]> uris = new ArrayList<>();
      for (ReportUri uri : record.aggregateReportUris()) {
        uris.add(new String[] {"rua", uri.uri(), uri.sizeLimit().orElse("")});
      }
      for (ReportUri uri : record.failureReportUris()) {
        uris.add(new String[] {"ruf", uri.uri(), uri.sizeLimit().orElse("")});
      }
      CompletionStage<Void> chain = done(null);
      for (String[] uri : uris) {
        chain = chain.thenCompose(ignored -> checkDestination(uri[0], uri[1], uri[2]));
      }
      return chain;
    }

    private CompletionStage<Void> checkDestination(String tagName, String text, String size) {
      ReportUri uri = ReportUri.parse(text).orElseThrow();
      String label = tagName + " " + text;
      if (!size.isEmpty()) {
        add(
            LintFinding.Severity.INFO,
            label + ": the size limit !" + size + " is obsolete and ignored");
      }
      if (uri.mailtoDomain().isEmpty()) {
        add(
            LintFinding.Severity.WARNING,
            label
                + ": receivers must support only mailto: URIs (RFC 9989 §4.7), most send nothing"
                + " elsewhere");
        return done(null);
      }
      String destination = uri.mailtoDomain().get();
      String policyDomain = found.lookup().domain();
      return walk.find(policyDomain)
          .thenCombine(walk.find(destination), (a, b) -> new OrganizationalDomainResult[] {a, b})
          .thenCompose(
              orgs -> {
                if (orgs[0] instanceof OrganizationalDomainResult.Found a
                    && orgs[1] instanceof OrganizationalDomainResult.Found b
                    && a.domain().equals(b.domain())) {
                  add(
                      LintFinding.Severity.OK,
                      label
                          + ": "
                          + destination
                          + " shares the Organizational Domain "
                          + a.domain()
                          + "; no authorization needed");
                  return done(null);
                }
                return authorize(label, policyDomain, destination);
              });
    }

    private CompletionStage<Void> authorize(String label, String policyDomain, String destination) {
      String name = policyDomain + "._report._dmarc." + destination;
      return fetcher
          .txt(name)
          .handle(
              (answer, error) -> {
                if (error != null || answer instanceof DnsAnswer.TempFailure<String>) {
                  tempFailure = true;
                  add(
                      LintFinding.Severity.WARNING,
                      label
                          + ": cannot check the authorization at "
                          + name
                          + ": "
                          + (error != null
                              ? error.toString()
                              : ((DnsAnswer.TempFailure<String>) answer).reason()));
                } else if (answer.values().stream().anyMatch(DmarcRecord::isDmarcRecord)) {
                  add(
                      LintFinding.Severity.OK,
                      label
                          + ": external destination "
                          + destination
                          + " authorizes reports ("
                          + name
                          + ")");
                } else {
                  add(
                      LintFinding.Severity.ERROR,
                      label
                          + ": external destination "
                          + destination
                          + " has not authorized reports about "
                          + policyDomain
                          + ", so receivers will not send them there (RFC 9990 §3). The owner of "
                          + destination
                          + " must publish "
                          + name
                          + ". TXT \"v=DMARC1\" (or a wildcard *._report._dmarc."
                          + destination
                          + ")");
                }
                return null;
              });
    }
  }

  private static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }
}
