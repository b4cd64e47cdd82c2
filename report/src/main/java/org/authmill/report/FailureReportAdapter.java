package org.authmill.report;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.authmill.auth.AuthOutcome;
import org.authmill.dkim.DkimOutcome;
import org.authmill.dkim.DkimResult;
import org.authmill.dmarc.AlignmentCheck;
import org.authmill.dmarc.AuthMechanism;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.dmarc.DmarcRecord;
import org.authmill.dmarc.DmarcResult;
import org.authmill.dmarc.DomainEvaluation;
import org.authmill.dmarc.FailureOption;
import org.authmill.dmarc.PsdFlag;
import org.authmill.dmarc.ReportUri;
import org.authmill.spf.SpfResult;

/**
 * Decides whether a message earns failure reports and gathers what they say (RFC 9991 §3): the
 * deciding DMARC Policy Record must have a {@code ruf} tag and must not be a PSD's ({@code psd=y},
 * RFC 9991 §3), and the message must fail as its {@code fo} tag asks (RFC 9989 §4.7: {@code 0}, the
 * default, when no mechanism gave an aligned pass; {@code 1} when one did not; {@code d} for a DKIM
 * signature that failed; {@code s} for an SPF fail). Report messages (any {@code multipart/report}
 * and aggregate reports) never earn one, so reports never cause reports.
 */
public final class FailureReportAdapter {
  private FailureReportAdapter() {}

  /**
   * The failure event of a message, if it earns a report.
   *
   * @param outcome the filter's outcome
   * @param client the SMTP client
   * @param queueId the MTA's queue id, when known
   * @param time when the message arrived
   * @param applied what the filter did with it ({@code none}: delivered)
   * @param headers the message's header fields
   */
  public static Optional<FailureEvent> toEvent(
      AuthOutcome outcome,
      InetAddress client,
      Optional<String> queueId,
      Instant time,
      DmarcPolicy applied,
      List<FailureEvent.HeaderField> headers) {
    if (isReportMessage(headers)) {
      return Optional.empty();
    }
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
    if (record.failureReportUris().isEmpty() || record.psd() == PsdFlag.YES) {
      return Optional.empty();
    }
    boolean dkimAligned = alignedPass(eval, AuthMechanism.DKIM);
    boolean spfAligned = alignedPass(eval, AuthMechanism.SPF);
    Set<FailureOption> fo =
        record.failureOptions().isEmpty()
            ? EnumSet.of(FailureOption.ALL_FAIL)
            : EnumSet.copyOf(record.failureOptions());
    List<FailureKind> kinds = new ArrayList<>();
    boolean dmarcFailed =
        (fo.contains(FailureOption.ALL_FAIL) && dmarc.result() == DmarcResult.FAIL)
            || (fo.contains(FailureOption.ANY_FAIL) && (!dkimAligned || !spfAligned));
    if (dmarcFailed) {
      kinds.add(FailureKind.DMARC);
    }
    Optional<DkimOutcome> failedSignature =
        outcome.dkim().stream().filter(FailureReportAdapter::failed).findFirst();
    if (fo.contains(FailureOption.DKIM) && failedSignature.isPresent()) {
      kinds.add(FailureKind.DKIM);
    }
    boolean spfFailed = outcome.spf().result() == SpfResult.FAIL;
    if (fo.contains(FailureOption.SPF) && spfFailed) {
      kinds.add(FailureKind.SPF);
    }
    if (kinds.isEmpty()) {
      return Optional.empty();
    }
    List<String> notAligned = new ArrayList<>();
    if (!dkimAligned) {
      notAligned.add("dkim");
    }
    if (!spfAligned) {
      notAligned.add("spf");
    }
    Optional<DkimOutcome> named =
        outcome.dkim().stream()
            .filter(FailureReportAdapter::failed)
            .filter(d -> alignedDomain(eval, d))
            .findFirst()
            .or(() -> failedSignature);
    Optional<FailureEvent.Signature> signature =
        named.map(
            d -> {
              String domain = d.domain().orElse("");
              return new FailureEvent.Signature(
                  domain, d.identity().orElse("@" + domain), d.selector().orElse(""));
            });
    String mailFrom = outcome.spf().envelopeFrom().orElse("");
    return Optional.of(
        new FailureEvent(
            time,
            client.getHostAddress(),
            eval.policyDomain().get(),
            eval.organizationalDomain().orElse(eval.policyDomain().get()),
            eval.authorDomain(),
            mailFrom.isEmpty() ? Optional.empty() : Optional.of(mailFrom),
            queueId,
            kinds,
            notAligned.isEmpty() ? "none" : String.join(", ", notAligned),
            signature,
            spfFailed && !outcome.spf().domain().isEmpty()
                ? Optional.of(outcome.spf().domain())
                : Optional.empty(),
            outcome.authenticationResults().toFieldValue(),
            switch (applied) {
              case REJECT -> "reject";
              case QUARANTINE -> "spam";
              case NONE -> "delivered";
            },
            record.failureReportUris().stream().map(ReportUri::uri).toList(),
            headers));
  }

  /**
   * True for messages that are reports themselves: a {@code multipart/report} (failure reports,
   * bounces) or an aggregate report's Subject (RFC 9990 §3.3.2).
   */
  static boolean isReportMessage(List<FailureEvent.HeaderField> headers) {
    for (FailureEvent.HeaderField f : headers) {
      String value = f.value().toLowerCase(Locale.ROOT);
      if (f.name().equalsIgnoreCase("Content-Type")
          && value.strip().startsWith("multipart/report")) {
        return true;
      }
      if (f.name().equalsIgnoreCase("Subject") && ReportMail.isReportSubject(f.value())) {
        return true;
      }
    }
    return false;
  }

  private static boolean failed(DkimOutcome d) {
    return d.result() == DkimResult.FAIL || d.result() == DkimResult.PERMERROR;
  }

  private static boolean alignedPass(DomainEvaluation eval, AuthMechanism mechanism) {
    return eval.alignments().stream().anyMatch(a -> a.mechanism() == mechanism && a.alignedPass());
  }

  private static boolean alignedDomain(DomainEvaluation eval, DkimOutcome d) {
    for (AlignmentCheck a : eval.alignments()) {
      if (a.mechanism() == AuthMechanism.DKIM
          && a.alignment().aligned()
          && a.domain().equalsIgnoreCase(d.domain().orElse(""))) {
        return true;
      }
    }
    return false;
  }
}
