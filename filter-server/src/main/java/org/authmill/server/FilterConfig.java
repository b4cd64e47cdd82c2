package org.authmill.server;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.authmill.milter.MilterSettings;
import org.authmill.server.signing.SigningKey;
import org.authmill.server.signing.SigningKeys;

/**
 * The filter server's configuration: the YAML file of {@code authmill serve --config}, with the
 * command line's flags laid over it. Every key is kebab-case; an unknown key or a bad value is an
 * error that names the key. Every limit has a default and a name.
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
    @JsonProperty("reject")
    REJECT,
    /** Hold the message in the MTA's quarantine, with the header. */
    @JsonProperty("quarantine")
    QUARANTINE,
    /** Deliver with the Authentication-Results header only. */
    @JsonProperty("header-only")
    HEADER_ONLY
  }

  /** What to do with a DMARC {@code fail} under {@code p=quarantine}. */
  public enum DmarcQuarantineAction {
    /** Deliver with the header (the receiver's filters decide). */
    @JsonProperty("header-only")
    HEADER_ONLY,
    /** Hold the message in the MTA's quarantine. */
    @JsonProperty("quarantine")
    QUARANTINE
  }

  /** What to do with an SPF {@code fail} (RFC 7208 §8.4). */
  public enum SpfFailAction {
    /** Record it in the headers; let DMARC decide. */
    @JsonProperty("header-only")
    HEADER_ONLY,
    /** Reject at MAIL FROM with {@code 550 5.7.23} (RFC 7372 §3.2). */
    @JsonProperty("reject")
    REJECT
  }

  /** What to do with a message the filter cannot decide about. */
  public enum ErrorAction {
    /** Deliver (with {@code temperror} in the header where the pipeline could write one). */
    @JsonProperty("accept")
    ACCEPT,
    /** Defer with {@code 451 4.7.1}; the client retries. */
    @JsonProperty("tempfail")
    TEMPFAIL
  }

  /** The configured actions. */
  public record Actions(
      DmarcRejectAction dmarcReject,
      DmarcQuarantineAction dmarcQuarantine,
      SpfFailAction spfFail,
      ErrorAction onError) {
    /** Fills in defaults: reject, header-only, header-only, accept. */
    public Actions {
      dmarcReject = dmarcReject == null ? DmarcRejectAction.REJECT : dmarcReject;
      dmarcQuarantine =
          dmarcQuarantine == null ? DmarcQuarantineAction.HEADER_ONLY : dmarcQuarantine;
      spfFail = spfFail == null ? SpfFailAction.HEADER_ONLY : spfFail;
      onError = onError == null ? ErrorAction.ACCEPT : onError;
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
    /** Fills in defaults and validates. */
    public Limits {
      maxPacketBytes = orDefault(maxPacketBytes, 1 << 20);
      maxHeaders = orDefault(maxHeaders, 1000);
      maxHeaderBytes = orDefault(maxHeaderBytes, 1 << 20);
      maxSignatures = orDefault(maxSignatures, 10);
      handlerDeadline = handlerDeadline == null ? Duration.ofSeconds(20) : handlerDeadline;
      progressInterval = progressInterval == null ? Duration.ofSeconds(5) : progressInterval;
      shutdownGrace = shutdownGrace == null ? Duration.ofSeconds(30) : shutdownGrace;
      maxQueuedBytes = orDefault(maxQueuedBytes, 1 << 20);
      idleTimeout = idleTimeout == null ? MilterSettings.DEFAULT_IDLE_TIMEOUT : idleTimeout;
      packetTimeout = packetTimeout == null ? MilterSettings.DEFAULT_PACKET_TIMEOUT : packetTimeout;
      if (maxPacketBytes < 65536 || maxPacketBytes > 64 << 20) {
        throw new IllegalArgumentException(
            "max-packet-bytes must be 65536 to 67108864 (a body chunk is 65535 bytes), got "
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

  /**
   * Reads a YAML file.
   *
   * @throws ConfigException naming the file, the key and what is wrong
   */
  public static FilterConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /**
   * Reads YAML text; {@code source} names it in errors.
   *
   * @throws ConfigException naming the key and what is wrong
   */
  public static FilterConfig parse(String yaml, String source) {
    if (yaml.isBlank()) {
      return defaults();
    }
    try {
      FilterConfig config = mapper().readValue(yaml, FilterConfig.class);
      return config == null ? defaults() : config;
    } catch (UnrecognizedPropertyException e) {
      String path = path(e);
      throw new ConfigException(
          source
              + ": unknown key '"
              + path
              + "'; known keys here: "
              + e.getKnownPropertyIds().stream()
                  .map(String::valueOf)
                  .sorted()
                  .collect(Collectors.joining(", ")),
          e);
    } catch (JsonMappingException e) {
      Throwable root = e;
      while (root.getCause() != null && root.getCause() != root) {
        root = root.getCause();
      }
      String why =
          root instanceof IllegalArgumentException ? root.getMessage() : e.getOriginalMessage();
      String path = path(e);
      throw new ConfigException(
          source + (path.isEmpty() ? "" : ": key '" + path + "'") + ": " + firstLine(why), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(
          source + ": not valid YAML: " + firstLine(e.getOriginalMessage()), e);
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "invalid value";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static String path(JsonMappingException e) {
    List<String> parts = new ArrayList<>();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        parts.add(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        parts.add("[" + r.getIndex() + "]");
      }
    }
    return String.join(".", parts).replace(".[", "[");
  }

  private static ObjectMapper mapper() {
    SimpleModule durations = new SimpleModule();
    durations.addDeserializer(Duration.class, new DurationDeserializer());
    durations.addDeserializer(SigningKey.class, new SigningKeyDeserializer());
    return new ObjectMapper(new YAMLFactory())
        .setPropertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .registerModule(durations);
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)?");

  /** Parses {@code 20s}, {@code 500ms}, {@code 2m}, {@code 1h}, or a number of seconds. */
  static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "expected a duration such as 20s, 500ms, 2m or 1h, got '" + text + "'");
    }
    double n = Double.parseDouble(m.group(1));
    String unit = m.group(2) == null ? "s" : m.group(2);
    double millis =
        switch (unit) {
          case "ms" -> n;
          case "m" -> n * 60_000;
          case "h" -> n * 3_600_000;
          default -> n * 1000;
        };
    return Duration.ofMillis(Math.round(millis));
  }

  private static final class DurationDeserializer extends JsonDeserializer<Duration> {
    @Override
    public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return parseDuration(p.getValueAsString(p.getText()));
    }
  }

  private static final class SigningKeyDeserializer extends JsonDeserializer<SigningKey> {
    @Override
    public SigningKey deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return SigningKey.parse(p.getValueAsString(p.getText()));
    }
  }

  // -----------------------------------------------------------------------------------------
  // Derived settings and command-line overrides

  /** The milter session bounds these settings describe. */
  public MilterSettings milterSettings() {
    return new MilterSettings(
        limits.maxPacketBytes(),
        limits.handlerDeadline(),
        limits.progressInterval(),
        actions.onError() == ErrorAction.TEMPFAIL
            ? MilterSettings.ErrorAction.TEMPFAIL
            : MilterSettings.ErrorAction.ACCEPT,
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
