package org.authmill.report;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.authmill.dkim.DkimSigner;
import org.authmill.dmarc.DmarcMode;
import org.authmill.dns.DnsResolver;
import org.authmill.store.Store;
import org.authmill.store.StoreLocation;

/**
 * The {@code report:} settings of {@code authmill serve}: who reports, where the store is, how
 * often counts are written and reports sent, and the sending hygiene. {@link #start} opens the
 * store and returns the running {@link ReportService}.
 *
 * @param org {@code report.org} ({@code --report-org}), the Reporting Organization
 * @param email {@code report.email} ({@code --report-email}), its contact and From: address
 * @param extraContact {@code report.extra-contact}
 * @param stateDir {@code report.state-dir} ({@code --state-dir}): the embedded store's directory
 * @param store {@code report.store} ({@code --report-store}): a JDBC URL instead
 * @param flushInterval {@code report.flush-interval} (10 s)
 * @param period {@code report.period} (1 day)
 * @param maxHeldRows {@code report.max-held-rows} (100000)
 * @param envelopeTo {@code report.envelope-to}: record the first recipient's domain (false)
 * @param send {@code report.send}: this instance sends reports (true)
 * @param sendInterval {@code report.send-interval} (5 min)
 * @param sendDelay {@code report.send-delay} (5 min)
 * @param relay {@code report.relay} (127.0.0.1:25)
 * @param maxAttempts {@code report.max-attempts} (8)
 * @param retryBackoff {@code report.retry-backoff} (15 min)
 * @param suppressAfter {@code report.suppress-after} (3)
 * @param suppressFor {@code report.suppress-for} (1 day)
 * @param maxReportBytes {@code report.max-report-bytes} (10 MiB)
 * @param keep {@code report.keep} (31 days)
 * @param allow {@code report.allow}
 * @param deny {@code report.deny}
 * @param failure {@code report.failure}: failure reports (RFC 9991), off by default
 */
public record ReportSettings(
    String org,
    String email,
    Optional<String> extraContact,
    Path stateDir,
    Optional<String> store,
    Duration flushInterval,
    ReportPeriod period,
    int maxHeldRows,
    boolean envelopeTo,
    boolean send,
    Duration sendInterval,
    Duration sendDelay,
    InetSocketAddress relay,
    int maxAttempts,
    Duration retryBackoff,
    int suppressAfter,
    Duration suppressFor,
    int maxReportBytes,
    Duration keep,
    List<String> allow,
    List<String> deny,
    FailureSettings failure) {
  /** The default state directory. */
  public static final Path DEFAULT_STATE_DIR = Path.of("/var/lib/authmill");

  public ReportSettings {
    Objects.requireNonNull(org, "org");
    Objects.requireNonNull(email, "email");
    Objects.requireNonNull(extraContact, "extraContact");
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(flushInterval, "flushInterval");
    Objects.requireNonNull(period, "period");
    Objects.requireNonNull(sendInterval, "sendInterval");
    Objects.requireNonNull(sendDelay, "sendDelay");
    Objects.requireNonNull(relay, "relay");
    Objects.requireNonNull(retryBackoff, "retryBackoff");
    Objects.requireNonNull(suppressFor, "suppressFor");
    Objects.requireNonNull(keep, "keep");
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
    Objects.requireNonNull(failure, "failure");
    positive("max-held-rows", maxHeldRows, 1);
    positive("max-attempts", maxAttempts, 1);
    positive("suppress-after", suppressAfter, 1);
    positive("max-report-bytes", maxReportBytes, 1024);
    if (!flushInterval.isZero() && flushInterval.toMillis() < 10) {
      throw new IllegalArgumentException("flush-interval must be 0 or at least 10ms");
    }
    if (sendInterval.toMillis() < 1000) {
      throw new IllegalArgumentException("send-interval must be at least 1s");
    }
    for (Duration d : List.of(sendDelay, retryBackoff, suppressFor, keep)) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration: " + d);
      }
    }
    identity(org, email, extraContact);
    StoreLocation.of(stateDir, store);
  }

  /**
   * The defaults with an org name and address (either may be empty: the other stands in, so {@code
   * --report-org} alone turns reporting on).
   */
  public static ReportSettings of(String org, String email) {
    return new ReportSettings(
        org.isBlank() ? email : org,
        email.isBlank()
            ? "postmaster@" + org.strip().replace(' ', '-').toLowerCase(java.util.Locale.ROOT)
            : email,
        Optional.empty(),
        DEFAULT_STATE_DIR,
        Optional.empty(),
        Duration.ofSeconds(10),
        ReportPeriod.UTC_DAY,
        100_000,
        false,
        true,
        Duration.ofMinutes(5),
        Duration.ofMinutes(5),
        new InetSocketAddress("127.0.0.1", 25),
        8,
        Duration.ofMinutes(15),
        3,
        Duration.ofDays(1),
        10 * 1024 * 1024,
        Duration.ofDays(31),
        List.of(),
        List.of(),
        FailureSettings.OFF);
  }

  private static void positive(String key, int value, int min) {
    if (value < min) {
      throw new IllegalArgumentException(key + " must be at least " + min + ", got " + value);
    }
  }

  /** This host's name, for the default address {@code postmaster@HOST}. */
  static String hostName() {
    try {
      String name = java.net.InetAddress.getLocalHost().getCanonicalHostName();
      return name.isBlank() || name.indexOf('.') < 0 ? "localhost" : name;
    } catch (java.net.UnknownHostException e) {
      return "localhost";
    }
  }

  /** Who reports. */
  public ReporterIdentity identity() {
    return identity(org, email, extraContact);
  }

  private static ReporterIdentity identity(
      String org, String email, Optional<String> extraContact) {
    ReporterIdentity base = ReporterIdentity.of(org, email);
    return new ReporterIdentity(
        base.orgName(), base.email(), base.submitter(), extraContact, base.generator());
  }

  /** Where the store is. */
  public StoreLocation location() {
    return StoreLocation.of(stateDir, store);
  }

  /**
   * Opens the store (migrating it) and starts recording and, when {@link #send()}, sending.
   *
   * @param dns the resolver for {@code _report._dmarc} authorization
   * @param registry where the metrics go
   * @param signer the DKIM signer of the reporting domain, if authmill holds a key for it
   * @param mode the filter's DMARC mode
   * @throws org.authmill.store.StoreException when the store cannot be opened or migrated
   */
  public ReportService start(
      DnsResolver dns, MeterRegistry registry, Optional<DkimSigner> signer, DmarcMode mode) {
    Store s = Store.builder(location()).build();
    try {
      ReportRecorder recorder =
          ReportRecorder.builder(s)
              .period(period)
              .flushInterval(flushInterval)
              .maxHeldRows(maxHeldRows)
              .registry(registry)
              .build();
      Optional<ReportSender> sender =
          send
              ? Optional.of(
                  ReportSender.builder(s, identity(), dns)
                      .relay(relay)
                      .sendDelay(sendDelay)
                      .maxAttempts(maxAttempts)
                      .retryBackoff(retryBackoff)
                      .suppressAfter(suppressAfter)
                      .suppressFor(suppressFor)
                      .maxReportBytes(maxReportBytes)
                      .keep(keep)
                      .lists(new DestinationLists(allow, deny))
                      .signer(signer)
                      .registry(registry)
                      .build())
              : Optional.empty();
      Optional<FailureReporter> failures =
          failure.enabled()
              ? Optional.of(
                  FailureReporter.builder(identity(), dns, failure)
                      .relay(relay)
                      .lists(new DestinationLists(allow, deny))
                      .signer(signer)
                      .registry(registry)
                      .build())
              : Optional.empty();
      return new ReportService(
          s, recorder, sender, failures, sendInterval, mode, Clock.systemUTC());
    } catch (RuntimeException e) {
      s.close();
      throw e;
    }
  }
}
