package org.authmill.report;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.authmill.dkim.DkimSigner;
import org.authmill.dns.DnsAnswer;
import org.authmill.dns.DnsResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends DMARC failure reports (RFC 9991) as messages fail: {@link #report} only queues (bounded;
 * never blocks mail), one worker thread sends through the same SMTP relay as aggregate reports. For
 * each report the message earns and each {@code ruf} destination: external destinations are
 * verified by {@code _report._dmarc} with {@code ruf} in place of {@code rua} (RFC 9991 §4), the
 * allow and deny lists apply, and the rate limits per policy domain and per destination address
 * (RFC 9991 §4.1, §7.1) drop what exceeds them. A report is tried once: a failure report about one
 * message is of no use days later, and a destination that refuses loses only that report.
 */
public final class FailureReporter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FailureReporter.class);

  private final ReporterIdentity identity;
  private final DestinationVerifier verifier;
  private final DnsResolver dns;
  private final DestinationLists lists;
  private final Optional<DkimSigner> signer;
  private final Redactor redactor;
  private final SmtpClient smtp;
  private final Clock clock;
  private final FailureRateLimit perDomain;
  private final FailureRateLimit perDestination;
  private final ThreadPoolExecutor worker;
  private final Counter sent;
  private final Counter failed;
  private final Counter unauthorized;
  private final Counter rateLimited;
  private final Counter queueFull;

  private FailureReporter(Builder b) {
    this.identity = b.identity;
    this.verifier = DestinationVerifier.forFailureReports(b.dns);
    this.dns = b.dns;
    this.lists = b.lists;
    this.signer = b.signer;
    this.redactor = b.settings.redact() ? Redactor.withRandomKey() : Redactor.NONE;
    this.smtp = new SmtpClient(b.relay, identity.submitter(), b.smtpTimeout);
    this.clock = b.clock;
    this.perDomain = new FailureRateLimit(b.settings.maxPerDomain(), b.settings.window(), clock);
    this.perDestination =
        new FailureRateLimit(b.settings.maxPerDestination(), b.settings.window(), clock);
    this.worker =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(b.settings.maxQueued()),
            r -> {
              Thread t = new Thread(r, "authmill-failure-report");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.AbortPolicy());
    MeterRegistry r = b.registry;
    this.sent =
        Counter.builder(ReportMetrics.FAILURE_SENT)
            .description("DMARC failure reports accepted by the relay")
            .register(r);
    this.failed =
        Counter.builder(ReportMetrics.FAILURE_FAILED)
            .description("DMARC failure reports the relay refused or could not take")
            .register(r);
    this.unauthorized =
        Counter.builder(ReportMetrics.FAILURE_UNAUTHORIZED)
            .description("failure reports not sent: external destination not authorized")
            .register(r);
    this.rateLimited =
        Counter.builder(ReportMetrics.FAILURE_DROPPED)
            .tag("reason", "rate-limit")
            .description("failure reports not sent")
            .register(r);
    this.queueFull =
        Counter.builder(ReportMetrics.FAILURE_DROPPED)
            .tag("reason", "queue-full")
            .description("failure reports not sent")
            .register(r);
  }

  /**
   * A builder.
   *
   * @param identity who reports
   * @param dns the resolver for {@code _report._dmarc} and {@code SPF-DNS}
   * @param settings limits and redaction
   */
  public static Builder builder(
      ReporterIdentity identity, DnsResolver dns, FailureSettings settings) {
    return new Builder(identity, dns, settings);
  }

  /** Queues the reports a failed message earns; never blocks, drops (and counts) when full. */
  public void report(FailureEvent event) {
    Objects.requireNonNull(event, "event");
    try {
      worker.execute(() -> send(event));
    } catch (java.util.concurrent.RejectedExecutionException e) {
      queueFull.increment(event.kinds().size());
    }
  }

  /** Sends the reports of one event now (the worker runs this). */
  void send(FailureEvent event) {
    try {
      for (FailureKind kind : event.kinds()) {
        if (!perDomain.tryAcquire(event.policyDomain().toLowerCase(Locale.ROOT))) {
          rateLimited.increment();
          continue;
        }
        for (Destination d : destinations(event)) {
          if (!perDestination.tryAcquire(d.address().toLowerCase(Locale.ROOT))) {
            rateLimited.increment();
            continue;
          }
          deliver(event, kind, d);
        }
      }
    } catch (RuntimeException e) {
      failed.increment();
      LOG.warn("failure report for {} not sent: {}", event.policyDomain(), e.toString());
    }
  }

  /** The verified, listed destinations of the event's {@code ruf}, each once. */
  private Set<Destination> destinations(FailureEvent event) {
    Set<Destination> out = new LinkedHashSet<>();
    for (String uri : event.ruf()) {
      Optional<Destination> d = Destination.ofUri(uri);
      if (d.isEmpty()) {
        continue;
      }
      DestinationVerifier.Verdict v =
          verifier.verify(event.policyDomain(), event.organizationalDomain(), d.get());
      if (v instanceof DestinationVerifier.Verdict.Authorized a) {
        for (Destination target : a.destinations()) {
          String refusal = lists.refusal(target);
          if (refusal == null) {
            out.add(target);
          } else {
            LOG.info(
                "failure report for {} not sent to {}: {}",
                event.policyDomain(),
                target.address(),
                refusal);
          }
        }
      } else {
        unauthorized.increment();
        LOG.info(
            "failure report for {} not sent to {}: {}",
            event.policyDomain(),
            d.get().address(),
            v instanceof DestinationVerifier.Verdict.Unauthorized u
                ? u.reason()
                : ((DestinationVerifier.Verdict.Retry) v).reason());
      }
    }
    return out;
  }

  private void deliver(FailureEvent event, FailureKind kind, Destination d) {
    byte[] id = new byte[8];
    new java.security.SecureRandom().nextBytes(id);
    String messageId = HexFormat.of().formatHex(id) + ".failure@" + identity.submitter();
    Optional<String> spf = event.spfDomain().flatMap(this::spfRecord);
    byte[] message =
        FailureReportMail.build(
            identity, event, kind, d.address(), clock.instant(), messageId, redactor, spf, signer);
    SmtpReply reply = smtp.send(identity.email(), d.address(), message);
    if (reply.accepted()) {
      sent.increment();
      LOG.info(
          "failure report ({}) for {} from {} sent to {}",
          kind.authFailure(),
          event.policyDomain(),
          event.sourceIp(),
          d.address());
    } else {
      failed.increment();
      LOG.info(
          "failure report ({}) for {} to {} not sent: {}",
          kind.authFailure(),
          event.policyDomain(),
          d.address(),
          reply);
    }
  }

  private Optional<String> spfRecord(String domain) {
    try {
      DnsAnswer<String> answer = dns.txt(domain).toCompletableFuture().get(10, TimeUnit.SECONDS);
      return answer.values().stream()
          .filter(t -> t.regionMatches(true, 0, "v=spf1", 0, 6))
          .findFirst();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Waits (up to 10 s) for queued reports to be sent, then stops the worker. */
  @Override
  public void close() {
    worker.shutdown();
    try {
      if (!worker.awaitTermination(10, TimeUnit.SECONDS)) {
        worker.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      worker.shutdownNow();
    }
  }

  /** Options of a {@link FailureReporter}. */
  public static final class Builder {
    private final ReporterIdentity identity;
    private final DnsResolver dns;
    private final FailureSettings settings;
    private InetSocketAddress relay = new InetSocketAddress("127.0.0.1", 25);
    private Duration smtpTimeout = Duration.ofSeconds(60);
    private DestinationLists lists = DestinationLists.NONE;
    private Optional<DkimSigner> signer = Optional.empty();
    private Clock clock = Clock.systemUTC();
    private MeterRegistry registry = new SimpleMeterRegistry();

    private Builder(ReporterIdentity identity, DnsResolver dns, FailureSettings settings) {
      this.identity = Objects.requireNonNull(identity, "identity");
      this.dns = Objects.requireNonNull(dns, "dns");
      this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The SMTP relay (default 127.0.0.1:25). */
    public Builder relay(InetSocketAddress relay) {
      this.relay = Objects.requireNonNull(relay, "relay");
      return this;
    }

    /** The SMTP timeout (default 60 s). */
    public Builder smtpTimeout(Duration timeout) {
      this.smtpTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** Allow and deny lists of destinations. */
    public Builder lists(DestinationLists lists) {
      this.lists = Objects.requireNonNull(lists, "lists");
      return this;
    }

    /** The DKIM signer of the reporting domain. */
    public Builder signer(Optional<DkimSigner> signer) {
      this.signer = Objects.requireNonNull(signer, "signer");
      return this;
    }

    /** The clock of the rate-limit windows and the Date field. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Where the metrics go. */
    public Builder registry(MeterRegistry registry) {
      this.registry = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /** Starts the worker. */
    public FailureReporter build() {
      return new FailureReporter(this);
    }
  }
}
