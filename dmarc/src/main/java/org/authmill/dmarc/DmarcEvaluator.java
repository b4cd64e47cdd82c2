package org.authmill.dmarc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;
import org.authmill.dns.DnsResolver;

/**
 * Evaluates DMARC for a message (RFC 9989 §5.3): finds the DMARC Policy Record of each Author
 * Domain by DMARC Policy Discovery (§4.10.1), checks the identifier alignment of the SPF and DKIM
 * outcomes (§4.4, §4.10.2), and gives the result, the policy that applies ({@code p}, {@code sp} or
 * {@code np}) and the disposition ({@code t=y} applied). Every outcome, including DNS failures and
 * broken records, is a {@link DmarcOutcome} value; the returned stage fails only on a bug.
 *
 * <pre>{@code
 * DmarcEvaluator dmarc = DmarcEvaluator.builder(resolver).build();
 * AuthorDomains from = AuthorDomainExtractor.withDefaults().fromMessage(messageBytes);
 * DmarcOutcome outcome = dmarc.evaluate(from,
 *         Optional.of(new SpfCheck("bounces.example.com", "pass")),
 *         List.of(new DkimCheck("example.com", "sel1", "pass")))
 *     .toCompletableFuture().join();
 * }</pre>
 *
 * <p>Decisions RFC 9989 leaves to the receiver, and what this class does:
 *
 * <ul>
 *   <li>From: fields that do not name exactly one domain (§5.3.1, §11.5): {@link
 *       AuthorDomainPolicy}, by default every domain is evaluated and the worst result counts; a
 *       repeated or malformed From: field never passes (§4.4).
 *   <li>DNS errors (§4.10.1, §5.3.6): the result is {@code temperror} whenever a query the result
 *       depends on failed; a query that cannot change the result (the identifier already aligned
 *       and passed) does not matter.
 *   <li>An SPF or DKIM {@code temperror} for an identifier that would be aligned makes the result
 *       {@code temperror} rather than {@code fail} when nothing else passes: a retry may pass.
 *   <li>A record without a valid {@code p} (or with an invalid {@code sp} or {@code np}) and
 *       without a valid {@code rua} URI causes no DMARC processing (§4.10.1); the result is {@code
 *       permerror} (§9.2: an improperly formatted record), with disposition none.
 * </ul>
 */
public final class DmarcEvaluator {
  /** Default limit on Author Domains evaluated for one message. */
  public static final int DEFAULT_MAX_AUTHOR_DOMAINS = 5;

  /** Default limit on DKIM outcomes checked for alignment for one message. */
  public static final int DEFAULT_MAX_DKIM_CHECKS = 16;

  final DnsResolver resolver;
  final DmarcMode mode;
  final PublicSuffixOrganizationalDomain publicSuffix;
  final AuthorDomainPolicy authorDomainPolicy;
  final int maxAuthorDomains;
  final int maxDkimChecks;
  final int queryLimit;
  private final RandomGenerator random;

  private DmarcEvaluator(Builder builder, PublicSuffixOrganizationalDomain publicSuffix) {
    this.resolver = builder.resolver;
    this.mode = builder.mode;
    this.publicSuffix = publicSuffix;
    this.authorDomainPolicy = builder.authorDomainPolicy;
    this.maxAuthorDomains = builder.maxAuthorDomains;
    this.maxDkimChecks = builder.maxDkimChecks;
    this.queryLimit = builder.queryLimit;
    this.random = builder.random;
  }

  /** A builder with the defaults: RFC 9989, every Author Domain evaluated, 8 queries per walk. */
  public static Builder builder(DnsResolver resolver) {
    return new Builder(resolver);
  }

  /** The specification followed. */
  public DmarcMode mode() {
    return mode;
  }

  /**
   * Evaluates DMARC for a message.
   *
   * @param authors the Author Domains of the message's From: fields
   * @param spf the SPF outcome for the MAIL FROM identity, if SPF was checked
   * @param dkim the outcome of every DKIM signature verified (only the first {@link
   *     Builder#maxDkimChecks} are used)
   */
  public CompletionStage<DmarcOutcome> evaluate(
      AuthorDomains authors, Optional<SpfCheck> spf, List<DkimCheck> dkim) {
    Objects.requireNonNull(authors, "authors");
    Objects.requireNonNull(spf, "spf");
    Objects.requireNonNull(dkim, "dkim");
    return new Evaluation(this, new RecordFetcher(resolver), spf, dkim).run(authors);
  }

  /**
   * Evaluates DMARC for a message with one Author Domain.
   *
   * @throws IllegalArgumentException if the author domain is not a domain name
   */
  public CompletionStage<DmarcOutcome> evaluate(
      String authorDomain, Optional<SpfCheck> spf, List<DkimCheck> dkim) {
    return evaluate(AuthorDomains.of(authorDomain), spf, dkim);
  }

  /** A number from 0 to 99 for the RFC 7489 {@code pct} sampling. */
  int percentile() {
    return (random == null ? ThreadLocalRandom.current() : random).nextInt(100);
  }

  /** Settings for a {@link DmarcEvaluator}. */
  public static final class Builder {
    private final DnsResolver resolver;
    private DmarcMode mode = DmarcMode.RFC9989;
    private PublicSuffixList publicSuffixList;
    private AuthorDomainPolicy authorDomainPolicy = AuthorDomainPolicy.EVALUATE_EACH;
    private int maxAuthorDomains = DEFAULT_MAX_AUTHOR_DOMAINS;
    private int maxDkimChecks = DEFAULT_MAX_DKIM_CHECKS;
    private int queryLimit = TreeWalkOrganizationalDomain.DEFAULT_QUERY_LIMIT;
    private RandomGenerator random;

    private Builder(DnsResolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
    }

    /** RFC 9989 (default) or the RFC 7489 compatibility mode. */
    public Builder mode(DmarcMode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /**
     * The Public Suffix List for the RFC 7489 compatibility mode; without one, that mode reads
     * {@link PublicSuffixList#DEBIAN_PATH}.
     */
    public Builder publicSuffixList(PublicSuffixList list) {
      this.publicSuffixList = Objects.requireNonNull(list, "list");
      return this;
    }

    /** What to do when From: does not name exactly one domain (default: evaluate each). */
    public Builder authorDomainPolicy(AuthorDomainPolicy policy) {
      this.authorDomainPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * How many Author Domains are evaluated for one message (default 5); a message with more is
     * {@code permerror} unless one of the evaluated domains fails.
     */
    public Builder maxAuthorDomains(int value) {
      if (value < 1 || value > 100) {
        throw new IllegalArgumentException("maxAuthorDomains must be 1 to 100: " + value);
      }
      this.maxAuthorDomains = value;
      return this;
    }

    /** How many DKIM outcomes are checked for alignment (default 16); the rest are ignored. */
    public Builder maxDkimChecks(int value) {
      if (value < 0 || value > 1000) {
        throw new IllegalArgumentException("maxDkimChecks must be 0 to 1000: " + value);
      }
      this.maxDkimChecks = value;
      return this;
    }

    /** The tree walk's query limit (RFC 9989 §4.10 fixes it at 8, the default). */
    public Builder treeWalkQueryLimit(int value) {
      this.queryLimit = TreeWalkOrganizationalDomain.checkLimit(value);
      return this;
    }

    /** The source of randomness for the RFC 7489 {@code pct} sampling (default: thread-local). */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /**
     * The evaluator.
     *
     * @throws UncheckedIOException in RFC 7489 mode without a list when the default list cannot be
     *     read
     */
    public DmarcEvaluator build() {
      PublicSuffixOrganizationalDomain psl = null;
      if (mode == DmarcMode.RFC7489) {
        PublicSuffixList list = publicSuffixList;
        if (list == null) {
          try {
            list = PublicSuffixList.fromFile(PublicSuffixList.DEBIAN_PATH);
          } catch (IOException e) {
            throw new UncheckedIOException(
                "RFC 7489 mode needs the Public Suffix List (Debian package publicsuffix): "
                    + e.getMessage(),
                e);
          }
        }
        psl = new PublicSuffixOrganizationalDomain(list);
      }
      return new DmarcEvaluator(this, psl);
    }
  }
}
