package org.authmill.report;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.authmill.auth.AuthOutcome;
import org.authmill.dmarc.DmarcMode;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.store.Store;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aggregate reporting inside {@code authmill serve}: records every inbound DMARC-evaluated message
 * (a {@link ReportRecorder}) and sends the reports of ended periods on a schedule (a {@link
 * ReportSender}), over one {@link Store} that it owns. {@link #flush()} is what SIGTERM and SIGHUP
 * call; {@link #close()} flushes and closes the store.
 *
 * <p>Messages that are themselves aggregate reports (their Subject is RFC 9990's) are not recorded,
 * so reports never cause reports about themselves.
 */
public final class ReportService implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ReportService.class);

  private final Store store;
  private final ReportRecorder recorder;
  private final Optional<ReportSender> sender;
  private final Optional<FailureReporter> failures;
  private final ScheduledExecutorService scheduler;
  private final DmarcMode mode;
  private final Clock clock;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Starts reporting.
   *
   * @param store the store, owned (closed) by the service from now on
   * @param recorder the recorder writing to it
   * @param sender the sender, or empty when this instance only records
   * @param sendInterval how often due reports are looked for (ignored without a sender)
   * @param mode the DMARC mode of the filter ({@code discovery_method})
   * @param clock the clock for message times
   */
  public ReportService(
      Store store,
      ReportRecorder recorder,
      Optional<ReportSender> sender,
      Duration sendInterval,
      DmarcMode mode,
      Clock clock) {
    this(store, recorder, sender, Optional.empty(), sendInterval, mode, clock);
  }

  /**
   * Starts reporting, with failure reports when a reporter is given.
   *
   * @param store the store, owned (closed) by the service from now on
   * @param recorder the recorder writing to it
   * @param sender the sender, or empty when this instance only records
   * @param failures the failure reporter (RFC 9991), owned by the service; empty when off
   * @param sendInterval how often due reports are looked for (ignored without a sender)
   * @param mode the DMARC mode of the filter ({@code discovery_method})
   * @param clock the clock for message times
   */
  public ReportService(
      Store store,
      ReportRecorder recorder,
      Optional<ReportSender> sender,
      Optional<FailureReporter> failures,
      Duration sendInterval,
      DmarcMode mode,
      Clock clock) {
    this.failures = Objects.requireNonNull(failures, "failures");
    this.store = Objects.requireNonNull(store, "store");
    this.recorder = Objects.requireNonNull(recorder, "recorder");
    this.sender = Objects.requireNonNull(sender, "sender");
    this.mode = Objects.requireNonNull(mode, "mode");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (sender.isPresent()) {
      scheduler =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "authmill-report-send");
                t.setDaemon(true);
                return t;
              });
      long ms = Math.max(1000, sendInterval.toMillis());
      scheduler.scheduleWithFixedDelay(this::sendQuietly, ms, ms, TimeUnit.MILLISECONDS);
    } else {
      scheduler = null;
    }
  }

  /**
   * Records one inbound message; never blocks on I/O and never throws for reporting problems.
   *
   * @param outcome the filter's outcome
   * @param client the connecting IP address
   * @param envelopeTo the first RCPT TO address, when the site records {@code envelope_to}
   * @param subject the message's Subject field, to skip aggregate reports themselves
   * @param applied the strongest action the filter took for a DMARC fail ({@code none} when it only
   *     adds headers)
   * @param localPolicy why the filter applied less than the domain asked, when it overrode the
   *     policy on purpose (a trusted ARC sealer): the comment of the {@code local_policy} reason
   */
  public void record(
      AuthOutcome outcome,
      InetAddress client,
      Optional<String> envelopeTo,
      Optional<String> subject,
      DmarcPolicy applied,
      Optional<String> localPolicy) {
    record(
        outcome,
        client,
        envelopeTo,
        subject,
        applied,
        OverrideReason.of("local_policy").withComment(localPolicy));
  }

  /**
   * Records one inbound message, as {@link #record(AuthOutcome, InetAddress, Optional, Optional,
   * DmarcPolicy, Optional)}, with the reason a row gives when the filter applied less than the
   * domain asked: {@code local_policy} (a trusted ARC sealer) or {@code trusted_forwarder} (RFC
   * 9990 §3.1.6), with a comment naming the sealer or forwarder.
   */
  public void record(
      AuthOutcome outcome,
      InetAddress client,
      Optional<String> envelopeTo,
      Optional<String> subject,
      DmarcPolicy applied,
      OverrideReason override) {
    if (subject.isPresent() && ReportMail.isReportSubject(subject.get())) {
      return;
    }
    try {
      DmarcReportAdapter.toEvent(
              outcome, client, envelopeTo, clock.instant(), mode, applied, override)
          .ifPresent(recorder::record);
    } catch (RuntimeException e) {
      LOG.warn("not recorded for DMARC reports: {}", e.getMessage());
    }
  }

  /** True when failure reports (RFC 9991) are on: the filter keeps each message's header. */
  public boolean failureReportsOn() {
    return failures.isPresent();
  }

  /**
   * Queues the failure reports a message earns, if any (RFC 9991); never blocks on I/O and never
   * throws for reporting problems.
   *
   * @param outcome the filter's outcome
   * @param client the SMTP client
   * @param queueId the MTA's queue id, when known
   * @param applied what the filter did with the message
   * @param headers the message's header fields
   */
  public void reportFailure(
      AuthOutcome outcome,
      InetAddress client,
      Optional<String> queueId,
      DmarcPolicy applied,
      List<FailureEvent.HeaderField> headers) {
    if (failures.isEmpty()) {
      return;
    }
    try {
      FailureReportAdapter.toEvent(outcome, client, queueId, clock.instant(), applied, headers)
          .ifPresent(failures.get()::report);
    } catch (RuntimeException e) {
      LOG.warn("no DMARC failure report: {}", e.getMessage());
    }
  }

  /** Writes the held counts now (SIGTERM, SIGHUP). */
  public boolean flush() {
    return recorder.flush();
  }

  /**
   * Sends what is due now (the schedule calls this). Held counts of an ended period are written
   * first, so this instance's counts are in its report even when the flush interval is longer than
   * the send delay.
   */
  public Optional<SendSummary> sendDue() {
    if (sender.isEmpty()) {
      return Optional.empty();
    }
    recorder.flushEnded(clock.instant());
    return sender.map(ReportSender::sendDue);
  }

  private void sendQuietly() {
    try {
      sendDue()
          .filter(s -> s.reports() > 0)
          .ifPresent(s -> LOG.info("DMARC reports at {}: {}", Instant.now(clock), s));
    } catch (RuntimeException e) {
      LOG.warn("sending DMARC reports failed, retried at the next run: {}", e.getMessage());
    }
  }

  /** Stops sending, flushes, closes the store. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    failures.ifPresent(FailureReporter::close);
    recorder.close();
    store.close();
  }
}
