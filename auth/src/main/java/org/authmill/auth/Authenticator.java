package org.authmill.auth;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.authmill.dkim.DkimKeyRecord;
import org.authmill.dkim.DkimVerifier;
import org.authmill.dmarc.AuthorDomainExtractor;
import org.authmill.dmarc.DmarcEvaluator;
import org.authmill.dmarc.DmarcMode;
import org.authmill.dmarc.PublicSuffixList;
import org.authmill.dns.DeadlineResolver;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.ParseResult;
import org.authmill.spf.SpfOutcome;
import org.authmill.spf.SpfVerifier;

/**
 * Authenticates inbound messages: SPF for the MAIL FROM identity (RFC 7208 §2.4; for the null
 * reverse-path, {@code postmaster@HELO}) and, separately, the HELO identity (§2.3); DKIM for every
 * signature (RFC 6376 §6); DMARC for the Author Domains of From: (RFC 9989 §5.3) over those
 * outcomes; and the Authentication-Results field that reports all of them (RFC 8601).
 *
 * <p>Thread-safe; one {@link AuthStream} per message. SPF starts as soon as the envelope is known
 * and the DKIM key lookups as soon as the header section ends, so DNS overlaps the transfer of the
 * message. With a {@link Builder#dnsBudget DNS budget}, every lookup of a message ends by then (a
 * {@link DeadlineResolver}): a silent name server gives temperror verdicts in time, never a missed
 * MTA deadline.
 */
public final class Authenticator {
  private final DnsResolver resolver;
  private final Optional<Duration> dnsBudget;
  private final Clock clock;
  private final String authservId;
  private final String receiver;
  private final boolean checkHelo;
  private final int maxSignatures;
  private final Function<String, ParseResult<DkimKeyRecord>> keyParser;
  private final DmarcMode dmarcMode;
  private final PublicSuffixList publicSuffixList;
  private final AuthorDomainExtractor authors;
  private final SpfCache spfCache;

  private Authenticator(Builder builder) {
    this.resolver = Objects.requireNonNull(builder.resolver, "resolver");
    this.dnsBudget = Optional.ofNullable(builder.dnsBudget);
    this.clock = builder.clock;
    this.authservId = Objects.requireNonNull(builder.authservId, "authserv-id");
    this.receiver = builder.receiver == null ? builder.authservId : builder.receiver;
    this.checkHelo = builder.checkHelo;
    this.maxSignatures = builder.maxSignatures;
    this.keyParser = builder.keyParser;
    this.dmarcMode = builder.dmarcMode;
    this.publicSuffixList = builder.publicSuffixList;
    this.authors = builder.authors;
    this.spfCache = builder.spfCacheSize > 0 ? new SpfCache(builder.spfCacheSize) : null;
    engines(resolver); // fail now, not per message, on settings the engines refuse
  }

  /**
   * A builder for an authenticator whose SPF, DKIM and DMARC look things up in {@code resolver}
   * (normally a caching resolver); the authserv-id is required too.
   */
  public static Builder builder(DnsResolver resolver) {
    return new Builder(resolver);
  }

  /** The authserv-id this authenticator writes in Authentication-Results (RFC 8601 §2.5). */
  public String authservId() {
    return authservId;
  }

  /** The SPF verdict cache, when there is one (for metrics). */
  public Optional<SpfCache> spfCache() {
    return Optional.ofNullable(spfCache);
  }

  /**
   * Starts authenticating one message, and its SPF checks.
   *
   * @param client the SMTP client's address
   * @param helo the HELO/EHLO argument ("" if none was given)
   * @param mailFrom the MAIL FROM address without angle brackets, "" for the null reverse-path
   */
  public AuthStream begin(InetAddress client, String helo, String mailFrom) {
    DnsResolver dns =
        dnsBudget.<DnsResolver>map(b -> new DeadlineResolver(resolver, b)).orElse(resolver);
    return new AuthStream(this, engines(dns), client, helo, mailFrom);
  }

  /** The three engines of one message, over that message's resolver. */
  record Engines(SpfVerifier spf, DkimVerifier dkim, DmarcEvaluator dmarc) {}

  private Engines engines(DnsResolver dns) {
    SpfVerifier spf = SpfVerifier.builder(dns).clock(clock).receiver(receiver).build();
    DkimVerifier dkim =
        DkimVerifier.builder(dns)
            .clock(clock)
            .maxSignatures(maxSignatures)
            .keyParser(keyParser)
            .build();
    DmarcEvaluator.Builder dmarc = DmarcEvaluator.builder(dns).mode(dmarcMode);
    if (publicSuffixList != null) {
      dmarc.publicSuffixList(publicSuffixList);
    }
    return new Engines(spf, dkim, dmarc.build());
  }

  java.util.concurrent.CompletionStage<SpfOutcome> spf(
      SpfVerifier verifier, InetAddress client, String mailFrom, String helo) {
    return spfCache == null
        ? verifier.check(client, mailFrom, helo)
        : spfCache.get(client, mailFrom, helo, () -> verifier.check(client, mailFrom, helo));
  }

  AuthorDomainExtractor authors() {
    return authors;
  }

  int maxSignatures() {
    return maxSignatures;
  }

  boolean checkHelo() {
    return checkHelo;
  }

  /** Settings of a {@link Authenticator}. */
  public static final class Builder {
    private final DnsResolver resolver;
    private Duration dnsBudget;
    private Clock clock = Clock.systemUTC();
    private String authservId;
    private String receiver;
    private boolean checkHelo = true;
    private int maxSignatures = DkimVerifier.DEFAULT_MAX_SIGNATURES;
    private Function<String, ParseResult<DkimKeyRecord>> keyParser = DkimKeyRecord::parse;
    private DmarcMode dmarcMode = DmarcMode.RFC9989;
    private PublicSuffixList publicSuffixList;
    private AuthorDomainExtractor authors = AuthorDomainExtractor.withDefaults();
    private int spfCacheSize;

    private Builder(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** The most time all DNS lookups of one message may take together (default: unbounded). */
    public Builder dnsBudget(Duration budget) {
      if (budget.isNegative() || budget.isZero()) {
        throw new IllegalArgumentException("the DNS budget must be positive: " + budget);
      }
      this.dnsBudget = budget;
      return this;
    }

    /** The clock for DKIM expiry and SPF's {@code %{t}} (default: the system's). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The authserv-id to write, normally this host's name (RFC 8601 §2.5). */
    public Builder authservId(String authservId) {
      this.authservId = authservId;
      return this;
    }

    /** This host's name for SPF's {@code %{r}} (RFC 7208 §7.3; default: the authserv-id). */
    public Builder receiver(String receiver) {
      this.receiver = receiver;
      return this;
    }

    /**
     * Whether to check the HELO identity as well as MAIL FROM (RFC 7208 §2.3 recommends it; default
     * true). Its result is reported as a second {@code spf} result with {@code smtp.helo}.
     */
    public Builder checkHelo(boolean checkHelo) {
      this.checkHelo = checkHelo;
      return this;
    }

    /** The most DKIM signatures verified per message (default: the verifier's). */
    public Builder maxSignatures(int maxSignatures) {
      this.maxSignatures = maxSignatures;
      return this;
    }

    /** How DKIM key records are parsed (a cache goes here; default: parse each time). */
    public Builder keyParser(Function<String, ParseResult<DkimKeyRecord>> keyParser) {
      this.keyParser = Objects.requireNonNull(keyParser, "keyParser");
      return this;
    }

    /** RFC 9989 (default) or RFC 7489 compatibility, with its Public Suffix List. */
    public Builder dmarcMode(DmarcMode mode, PublicSuffixList list) {
      this.dmarcMode = Objects.requireNonNull(mode, "mode");
      this.publicSuffixList = list;
      return this;
    }

    /** How the Author Domains are read from From: (default: the extractor's defaults). */
    public Builder authors(AuthorDomainExtractor authors) {
      this.authors = Objects.requireNonNull(authors, "authors");
      return this;
    }

    /** Cache this many SPF verdicts, each for the TTL of the DNS answers it used (default 0). */
    public Builder spfCache(int entries) {
      if (entries < 0) {
        throw new IllegalArgumentException("negative SPF cache size: " + entries);
      }
      this.spfCacheSize = entries;
      return this;
    }

    /** The authenticator. */
    public Authenticator build() {
      return new Authenticator(this);
    }
  }
}
