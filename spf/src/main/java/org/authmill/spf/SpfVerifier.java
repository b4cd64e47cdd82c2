package org.authmill.spf;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.authmill.dns.DnsResolver;
import org.authmill.dns.DomainName;
import org.authmill.dns.Idna;

/**
 * Checks whether an SMTP client may use a domain (RFC 7208): the MAIL FROM identity (§2.4, with the
 * null reverse-path checked as {@code postmaster@HELO}) and the HELO identity (§2.3), through the
 * check_host() function of §4 with every mechanism, modifier and macro of §5 to §7 and the limits
 * of §4.6.4.
 *
 * <p>Checks are asynchronous and never block; every outcome, including DNS failures and broken
 * records, is a {@link SpfOutcome} value. Thread-safe: one verifier serves any number of checks.
 *
 * <pre>{@code
 * SpfVerifier spf = SpfVerifier.builder(resolver).receiver("mx.example.org").build();
 * spf.check(clientIp, "alice@example.com", "mail.example.com")
 *     .thenAccept(outcome -> System.out.println(outcome.result() + ": " + outcome.reason()));
 * }</pre>
 */
public final class SpfVerifier {

  /**
   * The explanation given for a fail when the domain's record names none (§6.2), a macro-string in
   * explanation syntax.
   */
  public static final String DEFAULT_EXPLANATION =
      "%{c} is not allowed to send mail as %{s} according to the SPF record of %{d}";

  private final DnsResolver dns;
  private final Clock clock;
  private final String receiver;
  private final SpfLimits limits;
  private final MacroString defaultExplanation;

  private SpfVerifier(Builder builder) {
    this.dns = builder.dns;
    this.clock = builder.clock;
    this.receiver = builder.receiver;
    this.limits = builder.limits;
    this.defaultExplanation = builder.defaultExplanation;
  }

  /**
   * A builder; defaults: the system clock, receiver {@code unknown}, {@link SpfLimits#RFC_7208}.
   */
  public static Builder builder(DnsResolver dns) {
    return new Builder(dns);
  }

  /** The limits this verifier applies. */
  public SpfLimits limits() {
    return limits;
  }

  /**
   * Checks the MAIL FROM identity (RFC 7208 §2.4). A domain in U-labels (SMTPUTF8 mail) is
   * converted to A-labels before it is looked up or expanded by a macro (RFC 8616 §4); one that
   * cannot be converted is malformed, so the result is {@code none} (RFC 7208 §4.3).
   *
   * @param ip the SMTP client's address
   * @param mailFrom the MAIL FROM address, with or without angle brackets; "" or {@code <>} for the
   *     null reverse-path, which is checked as {@code postmaster@helo}
   * @param helo the HELO/EHLO name ("" if the client gave none)
   */
  public CompletionStage<SpfOutcome> check(InetAddress ip, String mailFrom, String helo) {
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(mailFrom, "mailFrom");
    Objects.requireNonNull(helo, "helo");
    String address = mailFrom.trim();
    if (address.startsWith("<") && address.endsWith(">")) {
      address = address.substring(1, address.length() - 1);
    }
    String local;
    String domain;
    if (address.isEmpty()) {
      local = "postmaster";
      domain = helo;
    } else {
      int at = address.lastIndexOf('@');
      local = at > 0 ? address.substring(0, at) : "postmaster";
      domain = address.substring(at + 1);
      if (!domain.chars().allMatch(c -> c < 0x80)) {
        domain = Idna.toAscii(domain).orElse(domain);
      }
    }
    String identityValue = address.isEmpty() ? "postmaster@" + helo : address;
    return run(ip, local, domain, helo, SpfIdentity.MAILFROM, identityValue, address);
  }

  /**
   * Checks the HELO identity (RFC 7208 §2.3): check_host() with the HELO name as the domain and
   * {@code postmaster@helo} as the sender. A HELO that is not a domain (an address literal, a
   * single label) gives {@code none}.
   */
  public CompletionStage<SpfOutcome> checkHelo(InetAddress ip, String helo) {
    Objects.requireNonNull(ip, "ip");
    Objects.requireNonNull(helo, "helo");
    return run(ip, "postmaster", helo, helo, SpfIdentity.HELO, helo, "");
  }

  private CompletionStage<SpfOutcome> run(
      InetAddress ip,
      String local,
      String domain,
      String helo,
      SpfIdentity identity,
      String identityValue,
      String envelopeFrom) {
    InetAddress client = Addresses.normalize(ip);
    Evaluation evaluation = new Evaluation(dns, clock, limits, defaultExplanation, client);
    String checked = DomainName.withoutRootDot(domain).toLowerCase(Locale.ROOT);
    MacroContext context =
        new MacroContext(
            local + "@" + domain,
            local,
            domain,
            domain,
            client,
            helo,
            "unknown",
            receiver,
            clock.instant());
    LookupBudget budget = evaluation.budget();
    return evaluation
        .checkHost(context, true)
        .handle(
            (verdict, error) -> {
              Evaluation.Verdict v =
                  error != null
                      ? Evaluation.Verdict.of(
                          SpfResult.TEMPERROR, "internal error during the SPF check: " + error)
                      : verdict;
              return new SpfOutcome(
                  v.result(),
                  identity,
                  identityValue,
                  checked,
                  client,
                  helo,
                  envelopeFrom,
                  Optional.ofNullable(v.mechanism()),
                  Optional.ofNullable(v.explanation()),
                  v.reason(),
                  budget.terms(),
                  budget.voids(),
                  v.result() == SpfResult.TEMPERROR ? Duration.ZERO : budget.minTtl());
            });
  }

  /** Settings for a {@link SpfVerifier}. */
  public static final class Builder {
    private final DnsResolver dns;
    private Clock clock = Clock.systemUTC();
    private String receiver = "unknown";
    private SpfLimits limits = SpfLimits.RFC_7208;
    private MacroString defaultExplanation;

    private Builder(DnsResolver dns) {
      this.dns = Objects.requireNonNull(dns, "dns");
      defaultExplanation(DEFAULT_EXPLANATION);
    }

    /** The clock for the {@code t} macro and the elapsed-time limit (default: system UTC). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * The name of the host doing the check, for the {@code r} macro (§7.3; default {@code
     * unknown}).
     */
    public Builder receiver(String receiver) {
      Objects.requireNonNull(receiver, "receiver");
      if (receiver.isEmpty()
          || DomainName.parseDnsName(receiver).value().isEmpty()
          || !receiver
              .chars()
              .allMatch(
                  c ->
                      Character.isLetterOrDigit(c) && c < 0x80
                          || c == '-'
                          || c == '_'
                          || c == '.')) {
        throw new IllegalArgumentException("receiver must be a host name: " + receiver);
      }
      this.receiver = receiver;
      return this;
    }

    /** The processing limits (default {@link SpfLimits#RFC_7208}). */
    public Builder limits(SpfLimits limits) {
      this.limits = Objects.requireNonNull(limits, "limits");
      return this;
    }

    /**
     * The explanation for a fail whose record gives none (§6.2), in explanation syntax: macros such
     * as {@code %{s}} and {@code %{c}} are expanded.
     *
     * @throws IllegalArgumentException if the text is not a valid explanation string
     */
    public Builder defaultExplanation(String text) {
      try {
        this.defaultExplanation = MacroString.parse(text, MacroString.Kind.EXPLANATION);
      } catch (SyntaxError e) {
        throw new IllegalArgumentException("bad default explanation: " + e.getMessage(), e);
      }
      return this;
    }

    /** The verifier. */
    public SpfVerifier build() {
      return new SpfVerifier(this);
    }
  }
}
