package org.authmill.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.authmill.dkim.DkimSigner;
import org.authmill.dns.DnsResolver;
import org.authmill.report.JobStore.Delivery;
import org.authmill.report.JobStore.Job;
import org.authmill.store.Store;
import org.authmill.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the aggregate reports whose period has ended (RFC 9990 §3.3): one per policy domain and
 * period, gzip-compressed XML in a MIME message, handed to an SMTP relay, DKIM-signed when a signer
 * is given.
 *
 * <p>Several instances may run this at once against one store: each report is a job row that one
 * instance claims by an atomic UPDATE (a lease that expires if that instance dies); every delivery
 * is a row whose state {@code sent} is final, so a report the relay accepted is never sent again.
 * Hygiene (RFC 9990 §4 and §3.3): external destinations need {@code _report._dmarc} authorization;
 * allow and deny lists; a 4xx reply or an unreachable relay is retried with doubling back-off up to
 * a number of attempts; a 5xx reply fails the delivery at once; a destination that failed {@code
 * suppressAfter} times is suppressed for {@code suppressFor}. A report whose compressed XML exceeds
 * the size bound is sent in several reports of fewer records (the file names then carry a
 * unique-id), since RFC 9989 dropped the {@code !size} suffix of {@code rua} URIs (which is
 * ignored).
 */
public final class ReportSender {
  private static final Logger LOG = LoggerFactory.getLogger(ReportSender.class);
  private static final Duration MAX_BACKOFF = Duration.ofHours(6);

  private final Store store;
  private final ReporterIdentity identity;
  private final DestinationVerifier verifier;
  private final SmtpClient smtp;
  private final Builder o;
  private final Counter sentCounter;
  private final Counter deferredCounter;
  private final Counter failedCounter;
  private final Counter suppressedCounter;

  private ReportSender(Builder b) {
    this.o = b;
    this.store = b.store;
    this.identity = b.identity;
    this.verifier = new DestinationVerifier(b.dns);
    this.smtp = new SmtpClient(b.relay, b.heloName.orElse(b.identity.submitter()), b.smtpTimeout);
    MeterRegistry r = b.registry;
    this.sentCounter =
        Counter.builder(ReportMetrics.SENT)
            .description("reports accepted by the relay")
            .register(r);
    this.deferredCounter =
        Counter.builder(ReportMetrics.DEFERRED)
            .description("report deliveries deferred")
            .register(r);
    this.failedCounter =
        Counter.builder(ReportMetrics.FAILED).description("report deliveries failed").register(r);
    this.suppressedCounter =
        Counter.builder(ReportMetrics.SUPPRESSED)
            .description("report destinations suppressed after repeated failures")
            .register(r);
  }

  /**
   * A builder.
   *
   * @param store the store the reports are recorded in
   * @param identity who reports
   * @param dns the resolver for {@code _report._dmarc} authorization
   */
  public static Builder builder(Store store, ReporterIdentity identity, DnsResolver dns) {
    return new Builder(store, identity, dns);
  }

  /**
   * Sends every report whose period ended at least the send delay ago and that no instance has sent
   * or is sending, and retries deliveries that are due.
   *
   * @throws StoreException when the store is unreachable
   */
  public SendSummary sendDue() {
    long now = o.clock.instant().getEpochSecond();
    List<Job> due = new ArrayList<>();
    store.inTransaction(
        c -> {
          for (Job job : JobStore.unscheduled(c, now, o.sendDelay.toSeconds())) {
            JobStore.create(
                c, job, identity.reportId(job.policyDomain(), job.periodStart(), 1, 1), now);
          }
          due.addAll(JobStore.claimable(c, now));
          return null;
        });
    SendSummary total = SendSummary.EMPTY;
    for (Job job : due) {
      boolean claimed =
          store.inTransaction(c -> JobStore.claim(c, job, o.owner, now, now + lease()));
      if (!claimed) {
        continue;
      }
      total = total.plus(process(job, now));
    }
    long before = now - o.keep.toSeconds();
    int purged = store.inTransaction(c -> JobStore.purge(c, before));
    if (purged > 0) {
      LOG.info("removed {} sent reports whose period ended more than {} ago", purged, o.keep);
    }
    return total;
  }

  /**
   * What {@link #sendDue()} would send now, without sending, claiming or writing anything (it does
   * look up {@code _report._dmarc} authorizations).
   */
  public List<PlannedReport> plan() {
    long now = o.clock.instant().getEpochSecond();
    List<Job> due =
        store.inTransaction(
            c -> {
              List<Job> list =
                  new ArrayList<>(JobStore.unscheduled(c, now, o.sendDelay.toSeconds()));
              list.addAll(JobStore.claimable(c, now));
              return list;
            });
    List<PlannedReport> plans = new ArrayList<>();
    for (Job job : due) {
      Optional<Content> content = content(job);
      if (content.isEmpty()) {
        continue;
      }
      Content ct = content.get();
      List<String> where = new ArrayList<>();
      for (String uri : ct.policy.aggregateReportUris()) {
        Optional<Destination> d = Destination.ofUri(uri);
        if (d.isEmpty()) {
          where.add(uri + ": skipped (only mailto: URIs are supported)");
          continue;
        }
        String refusal = o.lists.refusal(d.get());
        if (refusal != null) {
          where.add(d.get().address() + ": " + refusal);
          continue;
        }
        DestinationVerifier.Verdict v =
            verifier.verify(job.policyDomain(), ct.policy.organizationalDomain(), d.get());
        if (v instanceof DestinationVerifier.Verdict.Authorized a) {
          a.destinations()
              .forEach(
                  t -> where.add(t.address() + ": send" + (a.external() ? " (authorized)" : "")));
        } else if (v instanceof DestinationVerifier.Verdict.Unauthorized u) {
          where.add(d.get().address() + ": unauthorized, " + u.reason());
        } else if (v instanceof DestinationVerifier.Verdict.Retry r) {
          where.add(d.get().address() + ": retry later, " + r.reason());
        }
      }
      AggregateReport first = ct.parts.get(0).report;
      plans.add(
          new PlannedReport(
              job.policyDomain(),
              first.metadata().begin(),
              first.metadata().end(),
              first.metadata().reportId(),
              ct.parts.stream().mapToLong(p -> p.report.messageCount()).sum(),
              ct.parts.stream().mapToInt(p -> p.report.records().size()).sum(),
              where));
    }
    return plans;
  }

  private long lease() {
    return o.lease.toSeconds();
  }

  /** One report's content: its policy and its parts (one unless over the size bound). */
  private record Content(StoredPolicy policy, List<Part> parts) {}

  private record Part(AggregateReport report, byte[] gzip, Optional<String> unique) {}

  private Optional<Content> content(Job job) {
    return store.inTransaction(
        c -> {
          List<StoredRow> rows = RowStore.rowsOf(c, job.policyDomain(), job.periodStart());
          List<StoredPolicy> policies =
              RowStore.policies(c, job.policyDomain(), job.periodStart(), job.periodStart());
          if (rows.isEmpty() || policies.isEmpty()) {
            return Optional.<Content>empty();
          }
          StoredPolicy policy = policies.get(policies.size() - 1);
          return Optional.of(new Content(policy, split(job, policy, AggregateReport.merge(rows))));
        });
  }

  /** The report in as few parts as keep each compressed part within the size bound. */
  private List<Part> split(Job job, StoredPolicy policy, List<CountedRow> records) {
    for (int n = 1; ; n *= 2) {
      int parts = Math.min(n, records.size());
      List<Part> list = new ArrayList<>();
      boolean fits = true;
      int per = (records.size() + parts - 1) / parts;
      int count = (records.size() + per - 1) / per;
      for (int i = 0; i < count; i++) {
        List<CountedRow> chunk = records.subList(i * per, Math.min(records.size(), (i + 1) * per));
        String id = identity.reportId(job.policyDomain(), job.periodStart(), i + 1, count);
        AggregateReport report =
            new AggregateReport(
                identity.metadata(id, job.periodStart(), job.periodEnd()),
                policy.published(),
                chunk);
        byte[] gz = ReportMail.gzip(report);
        fits &= gz.length <= o.maxReportBytes || chunk.size() == 1;
        list.add(
            new Part(
                report, gz, count > 1 ? Optional.of(Integer.toString(i + 1)) : Optional.empty()));
      }
      if (fits || parts >= records.size()) {
        if (count > 1) {
          LOG.info(
              "report for {} split into {} parts to stay within {} bytes",
              job.policyDomain(),
              count,
              o.maxReportBytes);
        }
        return list;
      }
    }
  }

  private SendSummary process(Job job, long now) {
    int sent = 0;
    int deferred = 0;
    int failed = 0;
    int suppressed = 0;
    int unauthorized = 0;
    int denied = 0;
    try {
      Optional<Content> content = content(job);
      if (content.isEmpty()) {
        store.inTransaction(
            c -> {
              JobStore.release(c, job, o.owner, true, now, now);
              return null;
            });
        return new SendSummary(1, 0, 0, 0, 0, 0, 0);
      }
      Content ct = content.get();
      for (String uri : ct.policy.aggregateReportUris()) {
        Optional<Destination> dest = Destination.ofUri(uri);
        if (dest.isEmpty()) {
          LOG.info(
              "report for {}: skipping {}: only mailto: URIs are supported",
              job.policyDomain(),
              uri);
          continue;
        }
        Destination d = dest.get();
        String refusal = o.lists.refusal(d);
        if (refusal != null) {
          if (mark(job, d.address(), "denied", refusal, now)) {
            denied++;
          }
          continue;
        }
        String verifyKey = "verify " + d.address();
        Delivery check = store.inTransaction(c -> JobStore.delivery(c, job, verifyKey, now));
        if (check.terminal() && !check.state().equals("verified")) {
          continue;
        }
        if (!check.terminal() && check.nextAttempt() > now) {
          continue;
        }
        DestinationVerifier.Verdict verdict =
            verifier.verify(job.policyDomain(), ct.policy.organizationalDomain(), d);
        if (verdict instanceof DestinationVerifier.Verdict.Unauthorized u) {
          LOG.info("report for {} not sent to {}: {}", job.policyDomain(), d.address(), u.reason());
          update(job, check, "unauthorized", check.attempts(), now, u.reason(), now);
          unauthorized++;
          continue;
        }
        if (verdict instanceof DestinationVerifier.Verdict.Retry r) {
          int attempts = check.attempts() + 1;
          boolean give = attempts >= o.maxAttempts;
          update(
              job,
              check,
              give ? "failed" : "pending",
              attempts,
              now + backoff(attempts),
              r.reason(),
              now);
          if (give) {
            failed++;
            failedCounter.increment();
          } else {
            deferred++;
            deferredCounter.increment();
          }
          continue;
        }
        DestinationVerifier.Verdict.Authorized a = (DestinationVerifier.Verdict.Authorized) verdict;
        if (!check.terminal()) {
          update(
              job,
              check,
              "verified",
              check.attempts(),
              now,
              a.external() ? "authorized" : "internal",
              now);
        }
        for (Destination target : a.destinations()) {
          for (Part part : ct.parts) {
            String key = target.address() + part.unique.map(u -> " part " + u).orElse("");
            Delivery delivery = store.inTransaction(c -> JobStore.delivery(c, job, key, now));
            if (delivery.terminal() || delivery.nextAttempt() > now) {
              continue;
            }
            Optional<Long> until =
                store.inTransaction(c -> JobStore.suppressedUntil(c, target.address(), now));
            if (until.isPresent()) {
              update(
                  job,
                  delivery,
                  "suppressed",
                  delivery.attempts(),
                  now,
                  "suppressed until " + until.get(),
                  now);
              suppressed++;
              continue;
            }
            boolean mine = store.inTransaction(c -> JobStore.renew(c, job, o.owner, now + lease()));
            if (!mine) {
              LOG.warn("report for {}: lease lost, another instance continues", job.policyDomain());
              return new SendSummary(1, sent, deferred, failed, suppressed, unauthorized, denied);
            }
            byte[] message =
                ReportMail.build(
                    identity,
                    part.report,
                    part.gzip,
                    part.unique,
                    target.address(),
                    o.clock.instant(),
                    o.signer);
            SmtpReply reply = smtp.send(identity.email(), target.address(), message);
            int attempts = delivery.attempts() + 1;
            if (reply.accepted()) {
              store.inTransaction(
                  c -> {
                    JobStore.update(c, job, delivery, "sent", attempts, now, reply.toString(), now);
                    JobStore.success(c, target.address());
                    return null;
                  });
              sent++;
              sentCounter.increment();
              LOG.info(
                  "report sent: domain={} period={}..{} report_id={} to={} records={} messages={}"
                      + " bytes={} relay_reply=\"{}\"",
                  job.policyDomain(),
                  job.periodStart(),
                  job.periodEnd(),
                  part.report.metadata().reportId(),
                  target.address(),
                  part.report.records().size(),
                  part.report.messageCount(),
                  message.length,
                  reply);
            } else if (reply.permanent() || attempts >= o.maxAttempts) {
              boolean nowSuppressed =
                  store.inTransaction(
                      c -> {
                        JobStore.update(
                            c, job, delivery, "failed", attempts, now, reply.toString(), now);
                        return JobStore.failure(
                            c,
                            target.address(),
                            reply.toString(),
                            now,
                            o.suppressAfter,
                            o.suppressFor.toSeconds());
                      });
              failed++;
              failedCounter.increment();
              if (nowSuppressed) {
                suppressedCounter.increment();
                LOG.warn(
                    "report destination {} suppressed for {} after repeated failures",
                    target.address(),
                    o.suppressFor);
              }
              LOG.warn(
                  "report for {} to {} failed: {}", job.policyDomain(), target.address(), reply);
            } else {
              update(
                  job,
                  delivery,
                  "pending",
                  attempts,
                  now + backoff(attempts),
                  reply.toString(),
                  now);
              deferred++;
              deferredCounter.increment();
              LOG.info(
                  "report for {} to {} deferred: {}", job.policyDomain(), target.address(), reply);
            }
          }
        }
      }
      store.inTransaction(
          c -> {
            List<Delivery> all = JobStore.deliveries(c, job);
            long next =
                all.stream()
                    .filter(d -> !d.terminal())
                    .mapToLong(Delivery::nextAttempt)
                    .min()
                    .orElse(-1);
            JobStore.release(c, job, o.owner, next < 0, next < 0 ? now : next, now);
            return null;
          });
    } catch (StoreException e) {
      LOG.warn(
          "report for {}: store failed, the job is retried after its lease: {}",
          job.policyDomain(),
          e.getMessage());
    }
    return new SendSummary(1, sent, deferred, failed, suppressed, unauthorized, denied);
  }

  private boolean mark(Job job, String key, String state, String reason, long now) {
    return store.inTransaction(
        c -> {
          Delivery d = JobStore.delivery(c, job, key, now);
          if (d.terminal()) {
            return false;
          }
          JobStore.update(c, job, d, state, d.attempts(), now, reason, now);
          return true;
        });
  }

  private void update(
      Job job, Delivery d, String state, int attempts, long next, String reply, long now) {
    store.inTransaction(
        c -> {
          JobStore.update(c, job, d, state, attempts, next, reply, now);
          return null;
        });
  }

  private long backoff(int attempts) {
    long base = o.retryBackoff.toSeconds();
    long delay = base << Math.min(20, Math.max(0, attempts - 1));
    return Math.min(delay, Math.max(base, MAX_BACKOFF.toSeconds()));
  }

  /** Options of a {@link ReportSender}. */
  public static final class Builder {
    private final Store store;
    private final ReporterIdentity identity;
    private final DnsResolver dns;
    private InetSocketAddress relay = new InetSocketAddress("127.0.0.1", 25);
    private Optional<String> heloName = Optional.empty();
    private Duration smtpTimeout = Duration.ofSeconds(60);
    private Duration sendDelay = Duration.ofMinutes(5);
    private int maxAttempts = 8;
    private Duration retryBackoff = Duration.ofMinutes(15);
    private int suppressAfter = 3;
    private Duration suppressFor = Duration.ofDays(1);
    private DestinationLists lists = DestinationLists.NONE;
    private int maxReportBytes = 10 * 1024 * 1024;
    private Optional<DkimSigner> signer = Optional.empty();
    private Duration lease = Duration.ofMinutes(15);
    private Duration keep = Duration.ofDays(31);
    private String owner = defaultOwner();
    private Clock clock = Clock.systemUTC();
    private MeterRegistry registry = new SimpleMeterRegistry();

    private Builder(Store store, ReporterIdentity identity, DnsResolver dns) {
      this.store = Objects.requireNonNull(store, "store");
      this.identity = Objects.requireNonNull(identity, "identity");
      this.dns = Objects.requireNonNull(dns, "dns");
    }

    /** The SMTP relay (default 127.0.0.1:25). */
    public Builder relay(InetSocketAddress relay) {
      this.relay = Objects.requireNonNull(relay, "relay");
      return this;
    }

    /** The EHLO name (default the submitter domain). */
    public Builder heloName(String name) {
      this.heloName = Optional.of(name);
      return this;
    }

    /** Connect and reply timeout of the SMTP session (default 60 s). */
    public Builder smtpTimeout(Duration timeout) {
      this.smtpTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /**
     * How long after a period ends its reports are sent (default 5 min), so that every instance has
     * flushed its counts.
     */
    public Builder sendDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("negative send delay");
      }
      this.sendDelay = delay;
      return this;
    }

    /** Attempts per delivery before it fails for good (default 8). */
    public Builder maxAttempts(int attempts) {
      if (attempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be positive");
      }
      this.maxAttempts = attempts;
      return this;
    }

    /** The first retry delay, doubled on each further attempt up to 6 h (default 15 min). */
    public Builder retryBackoff(Duration backoff) {
      if (backoff.isNegative()) {
        throw new IllegalArgumentException("negative back-off");
      }
      this.retryBackoff = backoff;
      return this;
    }

    /** Failed deliveries after which a destination is suppressed (default 3). */
    public Builder suppressAfter(int failures) {
      if (failures < 1) {
        throw new IllegalArgumentException("suppressAfter must be positive");
      }
      this.suppressAfter = failures;
      return this;
    }

    /** How long a destination stays suppressed (default 1 day). */
    public Builder suppressFor(Duration duration) {
      this.suppressFor = Objects.requireNonNull(duration, "duration");
      return this;
    }

    /** Allow and deny lists of destinations. */
    public Builder lists(DestinationLists lists) {
      this.lists = Objects.requireNonNull(lists, "lists");
      return this;
    }

    /** The largest compressed report per message (default 10 MiB); larger ones are split. */
    public Builder maxReportBytes(int bytes) {
      if (bytes < 1024) {
        throw new IllegalArgumentException("maxReportBytes must be at least 1024");
      }
      this.maxReportBytes = bytes;
      return this;
    }

    /** Signs reports with DKIM for the reporting domain. */
    public Builder signer(Optional<DkimSigner> signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /** How long a claim holds before another instance may take the report over (default 15 min). */
    public Builder lease(Duration lease) {
      if (lease.toSeconds() < 1) {
        throw new IllegalArgumentException("lease must be at least 1 s");
      }
      this.lease = lease;
      return this;
    }

    /**
     * How long the rows of a report are kept after its period ended, once it was sent (default 31
     * days; {@code authmill report show} reads them until then).
     */
    public Builder keep(Duration keep) {
      if (keep.isNegative()) {
        throw new IllegalArgumentException("negative keep");
      }
      this.keep = keep;
      return this;
    }

    /** This instance's name in claims (default host, pid and a random suffix). */
    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /** The clock (periods, back-off, leases). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the metrics go. */
    public Builder registry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Applies the report migrations and builds the sender. */
    public ReportSender build() {
      store.migrate(RowStore.MIGRATIONS);
      return new ReportSender(this);
    }

    private static String defaultOwner() {
      return ManagementFactory.getRuntimeMXBean().getName()
          + "-"
          + UUID.randomUUID().toString().substring(0, 8);
    }
  }
}
