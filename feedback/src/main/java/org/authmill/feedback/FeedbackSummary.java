package org.authmill.feedback;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the aggregate reports say about one domain over a time range: the volume, DMARC, DKIM and
 * SPF pass counts and alignment, per source, and the readiness for stricter policies.
 *
 * @param domain the policy domain
 * @param since the start of the range asked for (reports ending before it are left out)
 * @param first the start of the earliest report in range, or null when none
 * @param last the end of the latest report in range, or null when none
 * @param days the days the reports' time ranges cover together (at least 1), for per-day rates
 * @param reports aggregate reports in range
 * @param reportingOrgs organizations that sent them
 * @param messages messages reported
 * @param dmarcPass messages that passed DMARC
 * @param dkimAligned messages whose aligned DKIM passed
 * @param spfAligned messages whose aligned SPF passed
 * @param failureReports failure reports received for the domain
 * @param currentPolicy the {@code p=} of the latest report, or empty
 * @param sources per source, most messages first
 * @param readiness for {@code quarantine} and {@code reject}
 */
public record FeedbackSummary(
    String domain,
    Instant since,
    Instant first,
    Instant last,
    double days,
    long reports,
    List<String> reportingOrgs,
    long messages,
    long dmarcPass,
    long dkimAligned,
    long spfAligned,
    long failureReports,
    String currentPolicy,
    List<SourceSummary> sources,
    List<Readiness> readiness) {
  /** Copies the lists. */
  public FeedbackSummary {
    reportingOrgs = List.copyOf(reportingOrgs);
    sources = List.copyOf(sources);
    readiness = List.copyOf(readiness);
  }

  /**
   * The summary as nested maps and lists with snake_case keys, for {@code summary --json}: {@code
   * {"domain", "messages", "sources": [{"source_ip", "messages", "dmarc_pass", ...}], ...}}.
   */
  public Map<String, Object> toMap() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("domain", domain);
    out.put("since", since == null ? null : since.toString());
    out.put("first", first == null ? null : first.toString());
    out.put("last", last == null ? null : last.toString());
    out.put("days", round(days));
    out.put("reports", reports);
    out.put("reporting_orgs", reportingOrgs);
    out.put("messages", messages);
    out.put("dmarc_pass", dmarcPass);
    out.put("dmarc_fail", messages - dmarcPass);
    out.put("dkim_aligned_pass", dkimAligned);
    out.put("spf_aligned_pass", spfAligned);
    out.put("dmarc_pass_rate", rate(dmarcPass, messages));
    out.put("failure_reports", failureReports);
    out.put("policy", currentPolicy);
    List<Object> list = new ArrayList<>();
    for (SourceSummary s : sources) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("source_ip", s.sourceIp());
      m.put("reverse_name", s.reverseName());
      m.put("reporting_orgs", s.reportingOrgs());
      m.put("messages", s.messages());
      m.put("messages_per_day", round(s.messages() / days));
      m.put("dmarc_pass", s.dmarcPass());
      m.put("dmarc_fail", s.dmarcFail());
      m.put("dkim_aligned_pass", s.dkimAligned());
      m.put("spf_aligned_pass", s.spfAligned());
      m.put("dkim_pass", s.dkimPass());
      m.put("spf_pass", s.spfPass());
      m.put("quarantined", s.quarantined());
      m.put("rejected", s.rejected());
      m.put("dmarc_pass_rate", rate(s.dmarcPass(), s.messages()));
      m.put("dkim_pass_rate", rate(s.dkimPass(), s.messages()));
      m.put("spf_pass_rate", rate(s.spfPass(), s.messages()));
      m.put("dkim_alignment_rate", rate(s.dkimAligned(), s.messages()));
      m.put("spf_alignment_rate", rate(s.spfAligned(), s.messages()));
      list.add(m);
    }
    out.put("sources", list);
    List<Object> steps = new ArrayList<>();
    for (Readiness r : readiness) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("policy", r.policy());
      m.put("verdict", r.verdict());
      m.put("messages_per_day", round(r.messagesPerDay()));
      m.put("wanted_messages_per_day", round(r.wantedPerDay()));
      m.put("summary", r.sentence());
      List<Object> affected = new ArrayList<>();
      for (Readiness.Affected a : r.sources()) {
        Map<String, Object> am = new LinkedHashMap<>();
        am.put("source_ip", a.sourceIp());
        am.put("messages_per_day", round(a.messagesPerDay()));
        am.put("also_passes", a.alsoPasses());
        affected.add(am);
      }
      m.put("sources", affected);
      steps.add(m);
    }
    out.put("readiness", steps);
    return out;
  }

  /** A share in [0, 1] rounded to 4 places; 0 when there are no messages. */
  static double rate(long part, long whole) {
    return whole == 0 ? 0 : round4((double) part / whole);
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private static double round4(double v) {
    return Math.round(v * 10000) / 10000.0;
  }
}
