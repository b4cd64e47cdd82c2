package org.authmill.keys;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * How the keys of one domain are published, checked and retired; kept in the state so that a step
 * left waiting resumes after a restart with the same settings.
 *
 * @param domain the signing domain ({@code d=}), lower case
 * @param dnsServer the zone's primary for DNS UPDATE as {@code HOST:PORT}, or empty when records
 *     are published by hand (then {@code keys confirm} says they are)
 * @param tsig the TSIG key as {@code ALG:NAME:SECRET}, or empty
 * @param tsigFile a file holding the TSIG key, read at each use, or empty
 * @param authoritative the servers to check as {@code HOST:PORT}; empty means the zone's NS set at
 *     port 53
 * @param ttl the TTL of published key records, in seconds
 * @param retention how long an old key's record stays published beyond its TTL after the new key
 *     became active (for mail signed with it still in transit)
 * @param overlap whether the old key keeps signing, next to the new one, until it is retired
 * @param removal what retirement does with the old record
 * @param archive whether retired private keys are archived (kept under {@code keys/archive/})
 *     rather than deleted
 * @param rsaBits the size of new RSA keys
 * @param selectorFormat the pattern of new selectors ({@link SelectorFormat})
 * @param rotateEvery how often {@code serve} starts a rotation by itself, or empty for never
 */
public record DomainSettings(
    String domain,
    Optional<String> dnsServer,
    Optional<String> tsig,
    Optional<String> tsigFile,
    List<String> authoritative,
    long ttl,
    Duration retention,
    boolean overlap,
    RemovalMode removal,
    boolean archive,
    int rsaBits,
    String selectorFormat,
    Optional<Duration> rotateEvery) {
  /** The default TTL of key records: one hour. */
  public static final long DEFAULT_TTL = 3600;

  /** The default retention window: seven days, beyond mail queues' usual five. */
  public static final Duration DEFAULT_RETENTION = Duration.ofDays(7);

  /** Validates and lower-cases the domain. */
  public DomainSettings {
    Objects.requireNonNull(domain, "domain");
    domain = domain.toLowerCase(Locale.ROOT);
    if (domain.endsWith(".")) {
      domain = domain.substring(0, domain.length() - 1);
    }
    if (!domain.matches("[a-z0-9_]([a-z0-9_-]*[a-z0-9])?(\\.[a-z0-9_]([a-z0-9_-]*[a-z0-9])?)+")) {
      throw new IllegalArgumentException("not a domain name: " + domain);
    }
    Objects.requireNonNull(dnsServer, "dnsServer");
    Objects.requireNonNull(tsig, "tsig");
    Objects.requireNonNull(tsigFile, "tsigFile");
    authoritative = List.copyOf(authoritative);
    if (ttl < 0 || ttl > 604800) {
      throw new IllegalArgumentException("record TTL must be 0 to 604800 seconds: " + ttl);
    }
    Objects.requireNonNull(retention, "retention");
    if (retention.isNegative()) {
      throw new IllegalArgumentException("retention window must not be negative: " + retention);
    }
    Objects.requireNonNull(removal, "removal");
    if (rsaBits < 1024 || rsaBits > 8192) {
      throw new IllegalArgumentException("RSA key size must be 1024 to 8192 bits: " + rsaBits);
    }
    new SelectorFormat(selectorFormat);
    Objects.requireNonNull(rotateEvery, "rotateEvery");
    if (rotateEvery.isPresent() && rotateEvery.get().compareTo(Duration.ofDays(1)) < 0) {
      throw new IllegalArgumentException(
          "rotate-every must be at least one day: " + rotateEvery.get());
    }
  }

  /** Defaults for a domain: no UPDATE server, the NS set, TTL 1 h, 7 days, delete, RSA 2048. */
  public static DomainSettings defaults(String domain) {
    return new DomainSettings(
        domain,
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        List.of(),
        DEFAULT_TTL,
        DEFAULT_RETENTION,
        false,
        RemovalMode.DELETE,
        false,
        2048,
        SelectorFormat.DEFAULT,
        Optional.empty());
  }

  /** A copy with another UPDATE server. */
  public DomainSettings withDnsServer(Optional<String> server) {
    return new DomainSettings(
        domain,
        server,
        tsig,
        tsigFile,
        authoritative,
        ttl,
        retention,
        overlap,
        removal,
        archive,
        rsaBits,
        selectorFormat,
        rotateEvery);
  }

  /** A copy with another TSIG key (inline and file). */
  public DomainSettings withTsig(Optional<String> spec, Optional<String> file) {
    return new DomainSettings(
        domain,
        dnsServer,
        spec,
        file,
        authoritative,
        ttl,
        retention,
        overlap,
        removal,
        archive,
        rsaBits,
        selectorFormat,
        rotateEvery);
  }

  /** A copy with other servers to check. */
  public DomainSettings withAuthoritative(List<String> servers) {
    return new DomainSettings(
        domain,
        dnsServer,
        tsig,
        tsigFile,
        servers,
        ttl,
        retention,
        overlap,
        removal,
        archive,
        rsaBits,
        selectorFormat,
        rotateEvery);
  }

  /** A copy with another record TTL and retention window. */
  public DomainSettings withTiming(long ttl, Duration retention) {
    return new DomainSettings(
        domain,
        dnsServer,
        tsig,
        tsigFile,
        authoritative,
        ttl,
        retention,
        overlap,
        removal,
        archive,
        rsaBits,
        selectorFormat,
        rotateEvery);
  }

  /** A copy with other retirement choices. */
  public DomainSettings withRetirement(boolean overlap, RemovalMode removal, boolean archive) {
    return new DomainSettings(
        domain,
        dnsServer,
        tsig,
        tsigFile,
        authoritative,
        ttl,
        retention,
        overlap,
        removal,
        archive,
        rsaBits,
        selectorFormat,
        rotateEvery);
  }

  /** A copy with other key generation choices. */
  public DomainSettings withGeneration(int rsaBits, String selectorFormat) {
    return new DomainSettings(
        domain,
        dnsServer,
        tsig,
        tsigFile,
        authoritative,
        ttl,
        retention,
        overlap,
        removal,
        archive,
        rsaBits,
        selectorFormat,
        rotateEvery);
  }

  /** A copy with another schedule. */
  public DomainSettings withRotateEvery(Optional<Duration> every) {
    return new DomainSettings(
        domain,
        dnsServer,
        tsig,
        tsigFile,
        authoritative,
        ttl,
        retention,
        overlap,
        removal,
        archive,
        rsaBits,
        selectorFormat,
        every);
  }

  /** True when records are published by DNS UPDATE. */
  public boolean updates() {
    return dnsServer.isPresent();
  }

  @Override
  public String toString() {
    return "DomainSettings[" + domain + ", dnsServer=" + dnsServer + "]"; // never the TSIG secret
  }
}
