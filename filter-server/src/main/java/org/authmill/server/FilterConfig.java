package org.authmill.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.authmill.arc.TrustedSealer;
import org.authmill.milter.MilterProtocol;
import org.authmill.milter.MilterSettings;
import org.authmill.report.FailureSettings;
import org.authmill.report.ReportPeriod;
import org.authmill.report.ReportSettings;
import org.authmill.server.signing.SigningKey;
import org.authmill.server.signing.SigningKeys;
import org.authmill.store.StoreException;

/**
 * The filter server's configuration: immutable records, each filling in its defaults (a null
 * component takes the default) and checking its values. {@link FilterConfigYaml} reads it from the
 * YAML file of {@code authmill serve --config} (keys in kebab-case, as below); the command line's
 * flags are laid over it with the {@code with...} methods. Every limit has a default and a name.
 *
 * <pre>
 * listen: inet:127.0.0.1:8891          # or unix:/run/authmill/milter.sock
 * authserv-id: mx.example.org          # RFC 8601 §2.5; default: this host's name
 * trusted-networks: [10.0.0.0/8]       # mail from here is outbound (signed)
 * originating-daemons: [ORIGINATING]   # Postfix {daemon_name}s whose mail is outbound
 * received-spf: false                  # also add Received-SPF (RFC 7208 §9.1)
 * metrics: 127.0.0.1:9100              # Prometheus /metrics and /health; default: off
 * signing:
 *   keys: [example.com:rsa2024:/etc/authmill/keys/rsa2024.pem]
 *   key-table: /etc/opendkim/KeyTable
 *   signing-table: refile:/etc/opendkim/SigningTable
 *   multiple-signatures: false
 *   insecure-key-permissions: false    # accept key files that group or others may read
 *   state-dir: /var/lib/authmill       # also sign with the keys authmill keys manages there
 *   rotate-every: 180d                 # rotate those keys on this schedule; default: never
 *   key-check-interval: 30s            # run their due steps and reload them this often
 * actions:
 *   dmarc-reject: reject               # reject | quarantine | header-only
 *   dmarc-quarantine: header-only      # header-only | quarantine
 *   spf-fail: header-only              # header-only | reject
 *   on-error: accept                   # accept | tempfail (internal error, DNS outage)
 *   trusted-forwarders: [192.0.2.0/24, fwd.example.net]  # DMARC fail not acted on (networks,
 *                                      # or names authenticated by SPF or DKIM)
 * limits:
 *   max-packet-bytes: 1048576
 *   max-headers: 1000
 *   max-header-bytes: 1048576
 *   max-signatures: 10
 *   handler-deadline: 20s
 *   progress-interval: 5s
 *   shutdown-grace: 30s
 *   max-queued-bytes: 1048576
 *   idle-timeout: 2h                   # no packet from the MTA for this long: close the session
 *   packet-timeout: 60s                # a packet must arrive whole, replies be read, within this
 * caches:
 *   dns-entries: 10000
 *   key-entries: 1000
 *   record-entries: 10000
 *   spf-results: 10000
 * dns:
 *   nameservers: [127.0.0.1:53]        # default: the system's resolvers
 *   zone-file: /path/to/zone           # answer from a master file instead
 *   timeout: 2s
 * event-loops: 2                       # default: the number of processors
 * report:                              # DMARC aggregate reports (RFC 9990); off without org/email
 *   org: Example Mail                  # org_name; --report-org
 *   email: dmarc-reports@example.net   # contact and From:; --report-email
 *   state-dir: /var/lib/authmill       # embedded store STATE-DIR/authmill.db; --state-dir
 *   store: jdbc:postgresql://db/authmill?user=authmill   # instead; --report-store
 *   flush-interval: 10s                # counts go to the store this often (and on HUP/TERM)
 *   period: 1d                         # reporting period from 00:00 UTC: divides a day (1h, 4h) or whole days
 *   send: true                         # this instance sends (false: only records)
 *   relay: 127.0.0.1:25
 *   failure:                           # DMARC failure reports (RFC 9991) to ruf; off by default
 *     enabled: true
 *     max-per-domain: 10               # reports about one policy domain per window
 *     max-per-destination: 20          # reports to one ruf address per window
 *     window: 1h
 *     redact: true                     # local parts become tokens, links hxxp; header only
 * arc:                                 # RFC 8617, on inbound mail
 *   verify: true                       # verify chains, add arc= to Authentication-Results
 *   trusted-sealers: [lists.example.org, fwd.example.net:arc2026]  # DOMAIN[:SELECTOR]
 *   seal:                              # this host's ARC sealer
 *     domain: fwd.example.net
 *     selector: arc2026
 *     key: /etc/authmill/keys/arc2026.pem
 *     inbound: true                    # seal inbound mail after the checks (list, forwarder)
 *     outbound: [example.com]          # seal outbound mail From: these domains (* for all)
 * warmup-messages: 1000                # synthetic messages through the pipeline at start, 0: off
 * </pre>
 */
public record FilterConfig(
    ListenAddress listen,
    String authservId,
    List<Cidr> trustedNetworks,
    List<String> originatingDaemons,
    Boolean receivedSpf,
    HostPort metrics,
    Signing signing,
    Actions actions,
    Limits limits,
    Caches caches,
    Dns dns,
    Integer eventLoops,
    Report report,
    Arc arc,
    Integer warmupMessages) {

  /** The default {@link #warmupMessages()}. */
  public static final int DEFAULT_WARMUP_MESSAGES = 1000;

  /** The most {@link #warmupMessages()}. */
  public static final int MAX_WARMUP_MESSAGES = 100_000;

  /** Fills in defaults and validates. */
  public FilterConfig {
    listen = listen == null ? ListenAddress.DEFAULT : listen;
    authservId = authservId == null ? localHostName() : authservId.strip();
    if (authservId.isEmpty() || !authservId.matches("[\\x21-\\x7E]+") || authservId.contains(";")) {
      throw new IllegalArgumentException(
          "authserv-id must be a token such as a host name (RFC 8601 §2.5), got '"
              + authservId
              + "'");
    }
    trustedNetworks = trustedNetworks == null ? List.of() : List.copyOf(trustedNetworks);
    originatingDaemons =
        originatingDaemons == null ? List.of("ORIGINATING") : List.copyOf(originatingDaemons);
    receivedSpf = receivedSpf != null && receivedSpf;
    signing = signing == null ? new Signing(null, null, null, null, null) : signing;
    actions = actions == null ? new Actions(null, null, null, null) : actions;
    limits =
        limits == null
            ? new Limits(null, null, null, null, null, null, null, null, null, null)
            : limits;
    caches = caches == null ? new Caches(null, null, null, null) : caches;
    dns = dns == null ? new Dns(null, null, null) : dns;
    eventLoops = eventLoops == null ? Runtime.getRuntime().availableProcessors() : eventLoops;
    arc = arc == null ? new Arc(null, null, null) : arc;
    if (eventLoops < 1 || eventLoops > 256) {
      throw new IllegalArgumentException("event-loops must be 1 to 256, got " + eventLoops);
    }
    report = report == null ? Report.OFF : report;
    warmupMessages = warmupMessages == null ? DEFAULT_WARMUP_MESSAGES : warmupMessages;
    if (warmupMessages < 0 || warmupMessages > MAX_WARMUP_MESSAGES) {
      throw new IllegalArgumentException(
          "warmup-messages must be 0 (off) to " + MAX_WARMUP_MESSAGES + ", got " + warmupMessages);
    }
    if (report.enabled()) {
      report.settings();
    }
  }

  /**
   * Which DKIM keys sign outbound mail; {@code state-dir} adds the keys {@code authmill keys}
   * manages there (their lifecycle runs every {@code key-check-interval}, a new rotation starts
   * {@code rotate-every} after the last one, such as {@code 180d}).
   */
  public record Signing(
      List<SigningKey> keys,
      String keyTable,
      String signingTable,
      Boolean multipleSignatures,
      Boolean insecureKeyPermissions,
      String stateDir,
      String rotateEvery,
      Duration keyCheckInterval) {
    /** Fills in defaults. */
    public Signing {
      keys = keys == null ? List.of() : List.copyOf(keys);
      multipleSignatures = multipleSignatures != null && multipleSignatures;
      insecureKeyPermissions = insecureKeyPermissions != null && insecureKeyPermissions;
      if (rotateEvery != null && !rotateEvery.strip().matches("[1-9][0-9]{0,5}[dw]")) {
        throw new IllegalArgumentException(
            "rotate-every must be a number of days or weeks such as 180d or 26w, got '"
                + rotateEvery
                + "'");
      }
      keyCheckInterval = keyCheckInterval == null ? Duration.ofSeconds(30) : keyCheckInterval;
      if (keyCheckInterval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException(
            "key-check-interval must be at least 1s, got " + keyCheckInterval);
      }
    }

    /** Fills in defaults, with no managed keys. */
    public Signing(
        List<SigningKey> keys,
        String keyTable,
        String signingTable,
        Boolean multipleSignatures,
        Boolean insecureKeyPermissions) {
      this(
          keys,
          keyTable,
          signingTable,
          multipleSignatures,
          insecureKeyPermissions,
          null,
          null,
          null);
    }

    /** {@code rotate-every} as a duration, if set. */
    public java.util.Optional<Duration> rotateEveryDuration() {
      if (rotateEvery == null) {
        return java.util.Optional.empty();
      }
      String s = rotateEvery.strip();
      long n = Long.parseLong(s.substring(0, s.length() - 1));
      return java.util.Optional.of(Duration.ofDays(s.endsWith("w") ? 7 * n : n));
    }

    /** Reads the tables and checks every key file. */
    public SigningKeys load() {
      return SigningKeys.load(keys, keyTable, signingTable, multipleSignatures);
    }
  }

  /** What to do with a DMARC {@code fail} under {@code p=reject} (RFC 9989 §5.8). */
  public enum DmarcRejectAction {
    /** Reject at end of data with {@code 550 5.7.1} (RFC 7372 §3.2). */
    REJECT,
    /** Hold the message in the MTA's quarantine, with the header. */
    QUARANTINE,
    /** Deliver with the Authentication-Results header only. */
    HEADER_ONLY
  }

  /** What to do with a DMARC {@code fail} under {@code p=quarantine}. */
  public enum DmarcQuarantineAction {
    /** Deliver with the header (the receiver's filters decide). */
    HEADER_ONLY,
    /** Hold the message in the MTA's quarantine. */
    QUARANTINE
  }

  /** What to do with an SPF {@code fail} (RFC 7208 §8.4). */
  public enum SpfFailAction {
    /** Record it in the headers; let DMARC decide. */
    HEADER_ONLY,
    /** Reject at MAIL FROM with {@code 550 5.7.23} (RFC 7372 §3.2). */
    REJECT
  }

  /**
   * The configured actions.
   *
   * @param trustedForwarders sources whose DMARC failures are not acted on (a local policy
   *     override, reported as {@code trusted_forwarder}): networks, or domain names authenticated
   *     by SPF or DKIM ({@link TrustedForwarder})
   */
  public record Actions(
      DmarcRejectAction dmarcReject,
      DmarcQuarantineAction dmarcQuarantine,
      SpfFailAction spfFail,
      MilterSettings.ErrorAction onError,
      List<TrustedForwarder> trustedForwarders) {
    /** Fills in defaults: reject, header-only, header-only, accept, no trusted forwarder. */
    public Actions {
      dmarcReject = dmarcReject == null ? DmarcRejectAction.REJECT : dmarcReject;
      dmarcQuarantine =
          dmarcQuarantine == null ? DmarcQuarantineAction.HEADER_ONLY : dmarcQuarantine;
      spfFail = spfFail == null ? SpfFailAction.HEADER_ONLY : spfFail;
      onError = onError == null ? MilterSettings.ErrorAction.ACCEPT : onError;
      trustedForwarders = trustedForwarders == null ? List.of() : List.copyOf(trustedForwarders);
    }

    /** The four actions, no trusted forwarder. */
    public Actions(
        DmarcRejectAction dmarcReject,
        DmarcQuarantineAction dmarcQuarantine,
        SpfFailAction spfFail,
        MilterSettings.ErrorAction onError) {
      this(dmarcReject, dmarcQuarantine, spfFail, onError, null);
    }
  }

  /** Every bound of the server. */
  public record Limits(
      Integer maxPacketBytes,
      Integer maxHeaders,
      Integer maxHeaderBytes,
      Integer maxSignatures,
      Duration handlerDeadline,
      Duration progressInterval,
      Duration shutdownGrace,
      Integer maxQueuedBytes,
      Duration idleTimeout,
      Duration packetTimeout) {
    /** Fills in defaults (the milter's, {@link MilterSettings#DEFAULTS}, where it has them). */
    public Limits {
      MilterSettings milter = MilterSettings.DEFAULTS;
      maxPacketBytes = orDefault(maxPacketBytes, milter.maxPacketSize());
      maxHeaders = orDefault(maxHeaders, milter.maxHeaders());
      maxHeaderBytes = orDefault(maxHeaderBytes, milter.maxHeaderBytes());
      maxSignatures = orDefault(maxSignatures, 10);
      handlerDeadline = handlerDeadline == null ? milter.handlerDeadline() : handlerDeadline;
      progressInterval = progressInterval == null ? milter.progressInterval() : progressInterval;
      shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(30) : shutdownGrace;
      maxQueuedBytes = orDefault(maxQueuedBytes, milter.maxQueuedBytes());
      idleTimeout = idleTimeout == null ? milter.idleTimeout() : idleTimeout;
      packetTimeout = packetTimeout == null ? milter.packetTimeout() : packetTimeout;
      if (maxPacketBytes < MilterSettings.MIN_PACKET_SIZE
          || maxPacketBytes > MilterSettings.MAX_PACKET_SIZE) {
        throw new IllegalArgumentException(
            "max-packet-bytes must be "
                + MilterSettings.MIN_PACKET_SIZE
                + " to "
                + MilterSettings.MAX_PACKET_SIZE
                + " (a body chunk is "
                + MilterProtocol.MAX_BODY_CHUNK
                + " bytes), got "
                + maxPacketBytes);
      }
      positive("max-headers", maxHeaders);
      positive("max-header-bytes", maxHeaderBytes);
      positive("max-signatures", maxSignatures);
      positive("max-queued-bytes", maxQueuedBytes);
      if (handlerDeadline.isNegative()
          || handlerDeadline.isZero()
          || handlerDeadline.compareTo(Duration.ofSeconds(290)) > 0) {
        throw new IllegalArgumentException(
            "handler-deadline must be above 0 and below Postfix's milter timeouts, got "
                + handlerDeadline.toMillis()
                + " ms");
      }
      if (progressInterval.toMillis() < 100) {
        throw new IllegalArgumentException("progress-interval must be at least 100ms");
      }
      if (shutdownGrace.isNegative()) {
        throw new IllegalArgumentException("shutdown-grace must not be negative");
      }
      if (idleTimeout.toMillis() < 1000) {
        throw new IllegalArgumentException(
            "idle-timeout must be at least 1s (keep it above Postfix's smtpd_timeout), got "
                + idleTimeout.toMillis()
                + " ms");
      }
      if (packetTimeout.toMillis() < 100) {
        throw new IllegalArgumentException(
            "packet-timeout must be at least 100ms, got " + packetTimeout.toMillis() + " ms");
      }
    }
  }

  /** Cache size bounds (entries). */
  public record Caches(
      Integer dnsEntries, Integer keyEntries, Integer recordEntries, Integer spfResults) {
    /** Fills in defaults and validates. */
    public Caches {
      dnsEntries = orDefault(dnsEntries, 10_000);
      keyEntries = orDefault(keyEntries, 1_000);
      recordEntries = orDefault(recordEntries, 10_000);
      spfResults = orDefault(spfResults, 10_000);
      nonNegative("dns-entries", dnsEntries);
      nonNegative("key-entries", keyEntries);
      nonNegative("record-entries", recordEntries);
      nonNegative("spf-results", spfResults);
    }
  }

  /** Where DNS answers come from. */
  public record Dns(List<String> nameservers, Path zoneFile, Duration timeout) {
    /** Fills in defaults and validates. */
    public Dns {
      nameservers = nameservers == null ? List.of() : List.copyOf(nameservers);
      timeout = timeout == null ? Duration.ofSeconds(2) : timeout;
      if (timeout.isNegative()
          || timeout.isZero()
          || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
        throw new IllegalArgumentException("timeout must be above 0 and at most 60s");
      }
      if (zoneFile != null && !nameservers.isEmpty()) {
        throw new IllegalArgumentException("give zone-file or nameservers, not both");
      }
    }
  }

  private static int orDefault(Integer value, int fallback) {
    return value == null ? fallback : value;
  }

  private static void positive(String key, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(key + " must be at least 1, got " + value);
    }
  }

  private static void nonNegative(String key, int value) {
    if (value < 0) {
      throw new IllegalArgumentException(key + " must not be negative, got " + value);
    }
  }

  private static String localHostName() {
    try {
      String name = InetAddress.getLocalHost().getHostName();
      return name == null || name.isBlank() ? "localhost" : name;
    } catch (IOException e) {
      return "localhost";
    }
  }

  /**
   * ARC (RFC 8617) on inbound mail: verify the chain and report it ({@code arc=} in
   * Authentication-Results); override a DMARC failure when a trusted sealer recorded an aligned
   * pass; and, with {@code seal}, add an ARC set after the checks, as a mailing list or a forwarder
   * does.
   */
  public record Arc(Boolean verify, List<TrustedSealer> trustedSealers, ArcSeal seal) {
    /** Fills in defaults: verify, no trusted sealer, no sealing. */
    public Arc {
      verify = verify == null || verify;
      trustedSealers = trustedSealers == null ? List.of() : List.copyOf(trustedSealers);
      if (seal != null && !verify) {
        throw new IllegalArgumentException("arc.seal needs arc.verify (the seal records cv=)");
      }
    }
  }

  /**
   * The sealer's identity, domain {@code d=}, selector {@code s=} and private key file (RSA or
   * Ed25519, read like the DKIM signing keys), and where it seals: inbound mail after the checks
   * ({@code inbound}, default true: the role of a list or forwarder), and outbound mail whose From:
   * domain is listed in {@code outbound} ({@code *}: all outbound mail), after DKIM signing.
   *
   * @param outbound From: domains whose outbound mail is sealed (lower case; empty: none)
   */
  public record ArcSeal(
      String domain, String selector, Path key, Boolean inbound, List<String> outbound) {
    /** Checks that the identity is given, fills in the defaults, checks the domains. */
    public ArcSeal {
      if (domain == null || selector == null || key == null) {
        throw new IllegalArgumentException("arc.seal needs domain, selector and key");
      }
      inbound = inbound == null || inbound;
      outbound =
          outbound == null
              ? List.of()
              : outbound.stream().map(ArcSeal::outboundDomain).distinct().toList();
    }

    /** True when outbound mail from this From: domain is sealed. */
    public boolean sealsOutbound(String fromDomain) {
      String d = fromDomain.toLowerCase(java.util.Locale.ROOT);
      return outbound.contains("*") || outbound.contains(d);
    }

    private static String outboundDomain(String value) {
      String d = value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT);
      if (d.endsWith(".")) {
        d = d.substring(0, d.length() - 1);
      }
      if (!d.equals("*") && !org.authmill.dkim.DkimPrimitives.isDomainName(d)) {
        throw new IllegalArgumentException(
            "arc.seal.outbound: not a domain name (or *): '" + value + "'");
      }
      return d;
    }
  }

  /** Every default (and this host's name as authserv-id). */
  public static FilterConfig defaults() {
    return new FilterConfig(
        null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
  }

  // -----------------------------------------------------------------------------------------
  // Derived settings and command-line overrides

  /** The milter session bounds these settings describe. */
  public MilterSettings milterSettings() {
    return new MilterSettings(
        limits.maxPacketBytes(),
        limits.handlerDeadline(),
        limits.progressInterval(),
        actions.onError(),
        limits.maxHeaders(),
        limits.maxHeaderBytes(),
        limits.maxQueuedBytes(),
        Map.of(),
        limits.idleTimeout(),
        limits.packetTimeout());
  }

  /** True when an action may hold messages, so the MTA must grant quarantine. */
  public boolean quarantines() {
    return actions.dmarcReject() == DmarcRejectAction.QUARANTINE
        || actions.dmarcQuarantine() == DmarcQuarantineAction.QUARANTINE;
  }

  /** True when the client address is in a trusted network. */
  public boolean trusts(InetAddress address) {
    return trustedNetworks.stream().anyMatch(n -> n.contains(address));
  }

  /** This configuration with another listen address. */
  public FilterConfig withListen(ListenAddress address) {
    return new FilterConfig(
        Objects.requireNonNull(address),
        authservId,
        trustedNetworks,
        originatingDaemons,
        receivedSpf,
        metrics,
        signing,
        actions,
        limits,
        caches,
        dns,
        eventLoops,
        report,
        arc,
        warmupMessages);
  }

  /** This configuration with another authserv-id. */
  public FilterConfig withAuthservId(String id) {
    return new FilterConfig(
        listen,
        id,
        trustedNetworks,
        originatingDaemons,
        receivedSpf,
        metrics,
        signing,
        actions,
        limits,
        caches,
        dns,
        eventLoops,
        report,
        arc,
        warmupMessages);
  }

  /** This configuration with the metrics endpoint at an address. */
  public FilterConfig withMetrics(HostPort address) {
    return new FilterConfig(
        listen,
        authservId,
        trustedNetworks,
        originatingDaemons,
        receivedSpf,
        address,
        signing,
        actions,
        limits,
        caches,
        dns,
        eventLoops,
        report,
        arc,
        warmupMessages);
  }

  /** This configuration with these trusted networks instead of the file's. */
  public FilterConfig withTrustedNetworks(List<Cidr> networks) {
    return new FilterConfig(
        listen,
        authservId,
        networks,
        originatingDaemons,
        receivedSpf,
        metrics,
        signing,
        actions,
        limits,
        caches,
        dns,
        eventLoops,
        report,
        arc,
        warmupMessages);
  }

  /** This configuration with these signing keys instead of the file's listed keys. */
  public FilterConfig withSigningKeys(List<SigningKey> keys) {
    return new FilterConfig(
        listen,
        authservId,
        trustedNetworks,
        originatingDaemons,
        receivedSpf,
        metrics,
        new Signing(
            keys,
            signing.keyTable(),
            signing.signingTable(),
            signing.multipleSignatures(),
            signing.insecureKeyPermissions(),
            signing.stateDir(),
            signing.rotateEvery(),
            signing.keyCheckInterval()),
        actions,
        limits,
        caches,
        dns,
        eventLoops,
        report,
        arc,
        warmupMessages);
  }

  /** This configuration with other DNS settings. */
  public FilterConfig withDns(Dns other) {
    return new FilterConfig(
        listen,
        authservId,
        trustedNetworks,
        originatingDaemons,
        receivedSpf,
        metrics,
        signing,
        actions,
        limits,
        caches,
        other,
        eventLoops,
        report,
        arc,
        warmupMessages);
  }

  /** This configuration with other report settings. */
  public FilterConfig withReport(Report other) {
    return new FilterConfig(
        listen,
        authservId,
        trustedNetworks,
        originatingDaemons,
        receivedSpf,
        metrics,
        signing,
        actions,
        limits,
        caches,
        dns,
        eventLoops,
        other,
        arc,
        warmupMessages);
  }

  /** This configuration with another number of start-up warm-up messages (0: none). */
  public FilterConfig withWarmupMessages(int messages) {
    return new FilterConfig(
        listen,
        authservId,
        trustedNetworks,
        originatingDaemons,
        receivedSpf,
        metrics,
        signing,
        actions,
        limits,
        caches,
        dns,
        eventLoops,
        report,
        arc,
        messages);
  }

  /**
   * DMARC aggregate reports (RFC 9990): on when {@code org} or {@code email} is set ({@code
   * --report-org}, {@code --report-email}); every other key has a default, see {@link
   * ReportSettings}. The store is {@code state-dir} (embedded SQLite) or {@code store} (a JDBC
   * URL).
   */
  public record Report(
      String org,
      String email,
      String extraContact,
      Path stateDir,
      String store,
      Duration flushInterval,
      Duration period,
      Integer maxHeldRows,
      Boolean envelopeTo,
      Boolean send,
      Duration sendInterval,
      Duration sendDelay,
      HostPort relay,
      Integer maxAttempts,
      Duration retryBackoff,
      Integer suppressAfter,
      Duration suppressFor,
      Integer maxReportBytes,
      Duration keep,
      List<String> allow,
      List<String> deny,
      Failure failure) {
    /** Reporting off. */
    public static final Report OFF =
        new Report(
            null, null, null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null, null, null, null);

    /** Copies the lists; {@link #settings()} fills in the defaults and validates. */
    public Report {
      allow = allow == null ? List.of() : List.copyOf(allow);
      deny = deny == null ? List.of() : List.copyOf(deny);
    }

    /** True when reports are recorded and sent. */
    public boolean enabled() {
      return enabled(org, email);
    }

    private static boolean enabled(String org, String email) {
      return (org != null && !org.isBlank()) || (email != null && !email.isBlank());
    }

    /** The settings, defaults filled in. */
    public ReportSettings settings() {
      return settings(this);
    }

    /** These settings with the command line's org, email, state directory and store laid over. */
    public Report with(String org, String email, Path stateDir, String store) {
      return new Report(
          org != null ? org : this.org,
          email != null ? email : this.email,
          extraContact,
          stateDir != null ? stateDir : this.stateDir,
          store != null ? store : this.store,
          flushInterval,
          period,
          maxHeldRows,
          envelopeTo,
          send,
          sendInterval,
          sendDelay,
          relay,
          maxAttempts,
          retryBackoff,
          suppressAfter,
          suppressFor,
          maxReportBytes,
          keep,
          allow,
          deny,
          failure);
    }

    /** These settings with another reporting period ({@code --report-period}). */
    public Report withPeriod(Duration period) {
      return new Report(
          org,
          email,
          extraContact,
          stateDir,
          store,
          flushInterval,
          period,
          maxHeldRows,
          envelopeTo,
          send,
          sendInterval,
          sendDelay,
          relay,
          maxAttempts,
          retryBackoff,
          suppressAfter,
          suppressFor,
          maxReportBytes,
          keep,
          allow,
          deny,
          failure);
    }

    /**
     * {@code report.failure}: DMARC failure reports (RFC 9991), off unless {@code enabled: true};
     * the other keys have the defaults of {@link FailureSettings#OFF}.
     */
    public record Failure(
        Boolean enabled,
        Integer maxPerDomain,
        Integer maxPerDestination,
        Duration window,
        Boolean redact,
        Integer maxQueued) {
      /** The settings, defaults filled in. */
      public FailureSettings settings() {
        FailureSettings d = FailureSettings.OFF;
        return new FailureSettings(
            enabled != null && enabled,
            maxPerDomain != null ? maxPerDomain : d.maxPerDomain(),
            maxPerDestination != null ? maxPerDestination : d.maxPerDestination(),
            window != null ? window : d.window(),
            redact != null ? redact : d.redact(),
            maxQueued != null ? maxQueued : d.maxQueued());
      }
    }

    private static ReportSettings settings(Report r) {
      ReportSettings d =
          ReportSettings.of(
              r.org == null ? "" : r.org.strip(), r.email == null ? "" : r.email.strip());
      try {
        return new ReportSettings(
            d.org(),
            d.email(),
            Optional.ofNullable(r.extraContact),
            r.stateDir != null ? r.stateDir : d.stateDir(),
            Optional.ofNullable(r.store),
            r.flushInterval != null ? r.flushInterval : d.flushInterval(),
            r.period != null ? new ReportPeriod(r.period) : d.period(),
            r.maxHeldRows != null ? r.maxHeldRows : d.maxHeldRows(),
            r.envelopeTo != null ? r.envelopeTo : d.envelopeTo(),
            r.send != null ? r.send : d.send(),
            r.sendInterval != null ? r.sendInterval : d.sendInterval(),
            r.sendDelay != null ? r.sendDelay : d.sendDelay(),
            r.relay != null ? new InetSocketAddress(r.relay.host(), r.relay.port()) : d.relay(),
            r.maxAttempts != null ? r.maxAttempts : d.maxAttempts(),
            r.retryBackoff != null ? r.retryBackoff : d.retryBackoff(),
            r.suppressAfter != null ? r.suppressAfter : d.suppressAfter(),
            r.suppressFor != null ? r.suppressFor : d.suppressFor(),
            r.maxReportBytes != null ? r.maxReportBytes : d.maxReportBytes(),
            r.keep != null ? r.keep : d.keep(),
            r.allow,
            r.deny,
            r.failure == null ? FailureSettings.OFF : r.failure.settings());
      } catch (StoreException e) {
        throw new IllegalArgumentException("report.store: " + e.getMessage(), e);
      }
    }
  }
}
