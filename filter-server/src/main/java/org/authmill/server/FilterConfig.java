package org.authmill.server;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.authmill.milter.MilterProtocol;
import org.authmill.milter.MilterSettings;
import org.authmill.server.signing.SigningKey;
import org.authmill.server.signing.SigningKeys;

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
 * actions:
 *   dmarc-reject: reject               # reject | quarantine | header-only
 *   dmarc-quarantine: header-only      # header-only | quarantine
 *   spf-fail: header-only              # header-only | reject
 *   on-error: accept                   # accept | tempfail (internal error, DNS outage)
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
    Integer eventLoops) {

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
    if (eventLoops < 1 || eventLoops > 256) {
      throw new IllegalArgumentException("event-loops must be 1 to 256, got " + eventLoops);
    }
  }

  /** Which DKIM keys sign outbound mail. */
  public record Signing(
      List<SigningKey> keys,
      String keyTable,
      String signingTable,
      Boolean multipleSignatures,
      Boolean insecureKeyPermissions) {
    /** Fills in defaults. */
    public Signing {
      keys = keys == null ? List.of() : List.copyOf(keys);
      multipleSignatures = multipleSignatures != null && multipleSignatures;
      insecureKeyPermissions = insecureKeyPermissions != null && insecureKeyPermissions;
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

  /** The configured actions. */
  public record Actions(
      DmarcRejectAction dmarcReject,
      DmarcQuarantineAction dmarcQuarantine,
      SpfFailAction spfFail,
      MilterSettings.ErrorAction onError) {
    /** Fills in defaults: reject, header-only, header-only, accept. */
    public Actions {
      dmarcReject = dmarcReject == null ? DmarcRejectAction.REJECT : dmarcReject;
      dmarcQuarantine =
          dmarcQuarantine == null ? DmarcQuarantineAction.HEADER_ONLY : dmarcQuarantine;
      spfFail = spfFail == null ? SpfFailAction.HEADER_ONLY : spfFail;
      onError = onError == null ? MilterSettings.ErrorAction.ACCEPT : onError;
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

  /** Every default (and this host's name as authserv-id). */
  public static FilterConfig defaults() {
    return new FilterConfig(null, null, null, null, null, null, null, null, null, null, null, null);
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
        eventLoops);
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
        eventLoops);
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
        eventLoops);
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
        eventLoops);
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
            signing.insecureKeyPermissions()),
        actions,
        limits,
        caches,
        dns,
        eventLoops);
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
        eventLoops);
  }
}
