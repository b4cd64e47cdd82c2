package org.authmill.report;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.authmill.auth.AuthOutcome;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dmarc.Alignment;
import org.authmill.dmarc.AlignmentCheck;
import org.authmill.dmarc.AuthMechanism;
import org.authmill.dmarc.DmarcMode;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.dmarc.DmarcRecord;
import org.authmill.dmarc.DmarcResult;
import org.authmill.dmarc.DomainEvaluation;
import org.authmill.dmarc.FailureOption;
import org.authmill.dmarc.ReportUri;
import org.authmill.spf.SpfOutcome;

/**
 * Turns the filter's outcome for one message ({@link AuthOutcome}: SPF, DKIM, DMARC) into the
 * {@link ReportEvent} that aggregate reports count (RFC 9990 §3.1).
 *
 * <p>Only messages with a DMARC {@code pass} or {@code fail} under a DMARC Policy Record are
 * reported: without a record there is nobody to report to, and a {@code temperror} or {@code
 * permerror} has no policy evaluated.
 */
public final class DmarcReportAdapter {
  private DmarcReportAdapter() {}

  /**
   * The event for a message, if it is reported.
   *
   * @param outcome the filter's outcome
   * @param client the connecting IP address
   * @param envelopeTo the RFC 5321.RcptTo domain, when the site records it
   * @param time when the message arrived
   * @param mode the DMARC mode the evaluator ran in (gives {@code discovery_method})
   * @param applied what the filter did with a DMARC {@code fail}: when weaker than the disposition
   *     the domain asked for, the row says {@code local_policy}
   * @param localPolicy the comment of that {@code local_policy} reason, when the filter knows why
   *     (a trusted ARC sealer, RFC 8617 §7.2)
   */
  public static Optional<ReportEvent> toEvent(
      AuthOutcome outcome,
      InetAddress client,
      Optional<String> envelopeTo,
      Instant time,
      DmarcMode mode,
      DmarcPolicy applied,
      Optional<String> localPolicy) {
    return toEvent(
        outcome,
        client,
        envelopeTo,
        time,
        mode,
        applied,
        OverrideReason.of("local_policy").withComment(localPolicy));
  }

  /**
   * The event for a message, if it is reported, with the reason the row gives when the filter
   * applied less than the domain asked ({@code local_policy} naming a trusted ARC sealer, {@code
   * trusted_forwarder} naming the forwarder, RFC 9990 §3.1.6).
   *
   * @param override the reason recorded when the disposition applied is weaker than the one asked
   */
  public static Optional<ReportEvent> toEvent(
      AuthOutcome outcome,
      InetAddress client,
      Optional<String> envelopeTo,
      Instant time,
      DmarcMode mode,
      DmarcPolicy applied,
      OverrideReason override) {
    java.util.Objects.requireNonNull(override, "override");
    DmarcOutcome dmarc = outcome.dmarc();
    if (dmarc.result() != DmarcResult.PASS && dmarc.result() != DmarcResult.FAIL) {
      return Optional.empty();
    }
    Optional<DomainEvaluation> deciding = dmarc.deciding();
    if (deciding.isEmpty()
        || deciding.get().record().isEmpty()
        || deciding.get().policyDomain().isEmpty()) {
      return Optional.empty();
    }
    DomainEvaluation eval = deciding.get();
    DmarcRecord record = eval.record().get();
    String policyDomain = eval.policyDomain().get();

    boolean dkimAligned =
        eval.alignments().stream()
            .anyMatch(a -> a.mechanism() == AuthMechanism.DKIM && a.alignedPass());
    boolean spfAligned =
        eval.alignments().stream()
            .anyMatch(a -> a.mechanism() == AuthMechanism.SPF && a.alignedPass());
    String p = record.policy().map(DmarcPolicy::keyword).orElse("none");
    List<OverrideReason> reasons = new ArrayList<>();
    String disposition;
    if (dmarc.result() == DmarcResult.PASS) {
      disposition = eval.policy().orElse(DmarcPolicy.NONE) == DmarcPolicy.NONE ? "none" : "pass";
    } else {
      DmarcPolicy asked = dmarc.disposition();
      DmarcPolicy done = applied.ordinal() < asked.ordinal() ? applied : asked;
      disposition = done.keyword();
      if (eval.testing()) {
        reasons.add(OverrideReason.of("policy_test_mode"));
      }
      if (eval.sampledOut()) {
        reasons.add(new OverrideReason("other", Optional.of("not sampled by pct")));
      }
      if (done != asked) {
        reasons.add(override);
      }
    }
    PolicyEvaluated evaluated =
        new PolicyEvaluated(
            disposition, dkimAligned ? "pass" : "fail", spfAligned ? "pass" : "fail", reasons);

    SpfOutcome spf = outcome.spf();
    Optional<String> envelopeFrom = Optional.of(domainOf(spf.envelopeFrom().orElse("")));
    Optional<SpfAuth> spfAuth =
        spf.domain().isEmpty()
            ? Optional.empty()
            : Optional.of(SpfAuth.mfrom(spf.domain(), spf.result().keyword()));
    ReportRow row =
        new ReportRow(
            client.getHostAddress(),
            eval.authorDomain(),
            envelopeFrom,
            envelopeTo.map(DmarcReportAdapter::domainOf),
            evaluated,
            spfAuth,
            dkimInPriority(outcome.dkim(), eval.alignments()));

    PolicyPublished published =
        new PolicyPublished(
            policyDomain,
            p,
            record.subdomainPolicy().map(DmarcPolicy::keyword),
            record.nonExistentPolicy().map(DmarcPolicy::keyword),
            record.dkimAlignment().tagValue(),
            record.spfAlignment().tagValue(),
            mode == DmarcMode.RFC7489 ? "psl" : "treewalk",
            failureOptions(record),
            record.testing() ? "y" : "n",
            record.psd().tagValue());
    List<String> rua = record.aggregateReportUris().stream().map(ReportUri::uri).toList();
    return Optional.of(
        new ReportEvent(
            time, row, published, eval.organizationalDomain().orElse(policyDomain), rua));
  }

  /**
   * The signatures in RFC 9990 §3.1.2's order: passing and strictly aligned, passing and relaxed
   * aligned, other passing, then the rest; at most 100.
   */
  static List<DkimAuth> dkimInPriority(List<DkimOutcome> dkim, List<AlignmentCheck> alignments) {
    List<DkimAuth> auths = new ArrayList<>();
    List<Integer> ranks = new ArrayList<>();
    for (DkimOutcome d : dkim) {
      DkimAuth auth =
          DkimAuth.of(d.domain().orElse(""), d.selector().orElse(""), d.result().keyword());
      int rank = 3;
      if (auth.passed()) {
        rank = 2;
        for (AlignmentCheck a : alignments) {
          if (a.mechanism() == AuthMechanism.DKIM
              && a.alignedPass()
              && a.domain().equalsIgnoreCase(d.domain().orElse(""))
              && a.selector().map(s -> s.equals(d.selector().orElse(""))).orElse(true)) {
            rank = Math.min(rank, a.alignment() == Alignment.STRICT ? 0 : 1);
          }
        }
      }
      auths.add(auth);
      ranks.add(rank);
    }
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < auths.size(); i++) {
      order.add(i);
    }
    order.sort(Comparator.comparingInt(ranks::get));
    return order.stream().limit(ReportRow.MAX_SIGNATURES).map(auths::get).toList();
  }

  private static String failureOptions(DmarcRecord record) {
    if (record.failureOptions().isEmpty()) {
      return "0";
    }
    return record.failureOptions().stream()
        .map(FailureOption::tagValue)
        .collect(Collectors.joining(":"));
  }

  /** The domain of an address (after the last {@code @}), or the text itself; lower case. */
  static String domainOf(String address) {
    String a = address.strip();
    if (a.startsWith("<") && a.endsWith(">")) {
      a = a.substring(1, a.length() - 1);
    }
    int at = a.lastIndexOf('@');
    return (at >= 0 ? a.substring(at + 1) : a).toLowerCase(Locale.ROOT);
  }
}
