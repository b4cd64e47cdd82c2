package org.authmill.server.auth;

import io.micrometer.core.instrument.MeterRegistry;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Predicate;
import org.apache.james.mime4j.dom.address.Address;
import org.apache.james.mime4j.dom.address.AddressList;
import org.apache.james.mime4j.dom.address.Group;
import org.apache.james.mime4j.dom.address.Mailbox;
import org.apache.james.mime4j.field.address.LenientAddressParser;
import org.authmill.arc.ArcOutcome;
import org.authmill.arc.ArcOverride;
import org.authmill.arc.ArcPolicy;
import org.authmill.arc.ArcResultClauses;
import org.authmill.arc.ArcSealOutcome;
import org.authmill.arc.ArcSealStream;
import org.authmill.arc.ArcSealer;
import org.authmill.arc.ArcSet;
import org.authmill.arc.ArcVerifier;
import org.authmill.arc.ArcVerifyStream;
import org.authmill.auth.AuthOutcome;
import org.authmill.auth.AuthStream;
import org.authmill.auth.Authenticator;
import org.authmill.auth.results.AuthenticationResults;
import org.authmill.auth.results.MethodResult;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSignatureField;
import org.authmill.dkim.DkimSigner;
import org.authmill.dmarc.DmarcOutcome;
import org.authmill.dmarc.DmarcPolicy;
import org.authmill.dmarc.DmarcResult;
import org.authmill.milter.ClientInfo;
import org.authmill.milter.Decision;
import org.authmill.milter.HeaderChange;
import org.authmill.milter.Macros;
import org.authmill.milter.MailEvent;
import org.authmill.milter.MailFilter;
import org.authmill.milter.MailFilterFactory;
import org.authmill.milter.MilterSettings;
import org.authmill.milter.SmtpReply;
import org.authmill.milter.Verdict;
import org.authmill.report.FailureEvent;
import org.authmill.report.OverrideReason;
import org.authmill.report.ReportService;
import org.authmill.server.FilterConfig;
import org.authmill.server.TrustedForwarder;
import org.authmill.spf.ReceivedSpf;
import org.authmill.spf.SpfResult;

/**
 * The authentication filter of {@code authmill serve}. Inbound mail gets SPF, DKIM and DMARC and
 * one Authentication-Results field at the top (RFC 8601 §5), and the configured action for a DMARC
 * {@code fail} under {@code p=reject} or {@code p=quarantine} (RFC 9989 §5.8; a reject is {@code
 * 550 5.7.1}, RFC 7372 §3.2) and for an SPF {@code fail} (RFC 7208 §8.4). Outbound mail (see {@link
 * Direction}) is DKIM-signed with every key configured for its From: domain (RFC 6376 §5).
 *
 * <p>A DMARC {@code temperror} (a DNS outage) yields the configured error action: by default the
 * message is delivered with {@code temperror} in the header; the filter never loses mail on its own
 * account.
 */
public final class AuthFilter implements MailFilter {
  /** At most this many header fields are kept for a failure report. */
  private static final int MAX_REPORTED_FIELDS = 500;

  /** At most this many characters of header fields are kept for a failure report. */
  private static final int MAX_REPORTED_BYTES = 64 * 1024;

  private final Settings settings;
  private Optional<InetAddress> client = Optional.empty();
  private String helo = "";
  private Message message;
  private Optional<String> firstRecipient = Optional.empty();
  private Optional<String> queueId = Optional.empty();

  /** What every connection's filter shares. */
  public record Settings(
      Authenticator authenticator,
      OutboundSigners signers,
      Direction direction,
      FilterConfig.Actions actions,
      boolean receivedSpf,
      Executor worker,
      MeterRegistry registry,
      Optional<ReportService> reports,
      boolean reportEnvelopeTo,
      Optional<ArcSettings> arc) {}

  /**
   * ARC (RFC 8617): on inbound mail the chain is verified beside the other checks and reported
   * ({@code arc=}), a trusted sealer may earn a DMARC override ({@link ArcPolicy}), and with a
   * sealer and {@code sealInbound} every inbound message gets a new ARC set recording this filter's
   * results; outbound mail whose From: domain {@code sealOutbound} accepts gets a set after its
   * DKIM signatures.
   *
   * @param sealInbound whether the sealer seals inbound mail
   * @param sealOutbound the From: domains (lower case) whose outbound mail the sealer seals
   */
  public record ArcSettings(
      ArcVerifier verifier,
      ArcPolicy policy,
      Optional<ArcSealer> sealer,
      boolean sealInbound,
      Predicate<String> sealOutbound) {
    /** Inbound sealing whenever there is a sealer, no outbound sealing. */
    public ArcSettings(ArcVerifier verifier, ArcPolicy policy, Optional<ArcSealer> sealer) {
      this(verifier, policy, sealer, sealer.isPresent(), domain -> false);
    }
  }

  AuthFilter(Settings settings) {
    this.settings = settings;
  }

  /**
   * The factory: the MTA is asked for everything but RCPT (recipients do not matter here), unless
   * aggregate reports record {@code envelope_to}.
   */
  public static MailFilterFactory factory(Settings settings) {
    return new MailFilterFactory() {
      @Override
      public MailFilter create() {
        return new AuthFilter(settings);
      }

      @Override
      public Set<MailEvent> events() {
        return settings.reports().isPresent() && settings.reportEnvelopeTo()
            ? EnumSet.allOf(MailEvent.class)
            : EnumSet.complementOf(EnumSet.of(MailEvent.RCPT));
      }

      /**
       * Only an SPF fail with {@code spf-fail: reject} ends a transaction before its end (at MAIL);
       * otherwise the MTA need not wait for CONNECT, HELO and MAIL to be answered.
       */
      @Override
      public Set<MailEvent> decisions() {
        return settings.actions().spfFail() == FilterConfig.SpfFailAction.REJECT
            ? EnumSet.of(MailEvent.MAIL)
            : EnumSet.noneOf(MailEvent.class);
      }

      @Override
      public boolean quarantines() {
        return settings.actions().dmarcReject() == FilterConfig.DmarcRejectAction.QUARANTINE
            || settings.actions().dmarcQuarantine()
                == FilterConfig.DmarcQuarantineAction.QUARANTINE;
      }
    };
  }

  @Override
  public CompletionStage<Verdict> connect(ClientInfo info, Macros macros) {
    client = info.address();
    return Verdict.PROCEED;
  }

  @Override
  public CompletionStage<Verdict> helo(String name, Macros macros) {
    helo = name.strip();
    return Verdict.PROCEED;
  }

  @Override
  public CompletionStage<Verdict> mailFrom(String sender, List<String> args, Macros macros) {
    Optional<String> outbound = settings.direction().outbound(client, macros);
    if (outbound.isPresent()) {
      message = new Outbound(outbound.get(), macros.get("auth_authen").filter(s -> !s.isBlank()));
      return Verdict.PROCEED;
    }
    if (client.isEmpty()) {
      message = null; // no IP address (a local submission): nothing to authenticate
      return Verdict.PROCEED;
    }
    firstRecipient = Optional.empty();
    queueId = macros.queueId();
    Inbound inbound =
        new Inbound(settings.authenticator().begin(client.get(), helo, decode(sender)));
    message = inbound;
    if (settings.actions().spfFail() != FilterConfig.SpfFailAction.REJECT) {
      return Verdict.PROCEED;
    }
    return inbound
        .authentication
        .spf()
        .thenApply(
            spf ->
                spf.result() == SpfResult.FAIL
                    ? Verdict.reject(
                        SmtpReply.of(
                            550,
                            "5.7.23",
                            "SPF: "
                                + spf.domain()
                                + " does not allow "
                                + spf.clientIp().getHostAddress()
                                + " to send its mail"),
                        "spf=fail " + spf.reason())
                    : Verdict.proceed());
  }

  @Override
  public CompletionStage<Verdict> rcpt(String recipient, List<String> args, Macros macros) {
    if (firstRecipient.isEmpty()) {
      firstRecipient = Optional.of(decode(recipient));
    }
    return Verdict.PROCEED;
  }

  @Override
  public CompletionStage<Void> header(String name, String value) {
    if (message != null) {
      message.header(name, value);
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> endOfHeaders(Macros macros) {
    macros.queueId().ifPresent(q -> queueId = Optional.of(q));
    if (message != null) {
      message.endOfHeaders();
    }
    return DONE;
  }

  @Override
  public CompletionStage<Void> body(ByteBuffer chunk) {
    if (message != null) {
      message.body(chunk);
    }
    return DONE;
  }

  @Override
  public CompletionStage<Decision> endOfMessage(Macros macros) {
    macros.queueId().ifPresent(q -> queueId = Optional.of(q));
    Message current = message;
    message = null;
    return current == null ? Decision.proceed().completed() : current.finish();
  }

  @Override
  public void abort() {
    message = null;
  }

  private void count(String method, String result) {
    settings.registry().counter("authmill.results", "method", method, "result", result).increment();
  }

  /** The reverse-path as text: octets (ISO-8859-1) read as UTF-8 (RFC 6531 allows UTF-8). */
  private static String decode(String octets) {
    return new String(octets.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
  }

  private interface Message {
    void header(String name, String value);

    void endOfHeaders();

    void body(ByteBuffer chunk);

    CompletionStage<Decision> finish();
  }

  /** An inbound message being authenticated. */
  private final class Inbound implements Message {
    final AuthStream authentication;
    private Optional<String> subject = Optional.empty();

    /** The header fields, kept (bounded) only when failure reports are on. */
    private final List<FailureEvent.HeaderField> fields;

    private int fieldBytes;
    private final ArcVerifyStream arcVerification;
    private final ArcSealStream arcSealing;

    Inbound(AuthStream authentication) {
      this.authentication = authentication;
      this.fields =
          settings.reports().map(ReportService::failureReportsOn).orElse(false)
              ? new ArrayList<>()
              : null;
      ArcSettings arc = settings.arc().orElse(null);
      if (arc == null) {
        arcVerification = null;
        arcSealing = null;
      } else if (arc.sealer().isPresent() && arc.sealInbound()) {
        arcVerification = null;
        arcSealing = arc.sealer().get().newStream();
      } else {
        arcVerification = arc.verifier().newStream();
        arcSealing = null;
      }
    }

    @Override
    public void header(String name, String value) {
      byte[] field = crlf(name + ":" + value);
      authentication.header(field, 0, field.length);
      if (subject.isEmpty() && name.equalsIgnoreCase("Subject")) {
        subject = Optional.of(value);
      }
      if (fields != null
          && fields.size() < MAX_REPORTED_FIELDS
          && fieldBytes + name.length() + value.length() <= MAX_REPORTED_BYTES) {
        fields.add(new FailureEvent.HeaderField(name, value));
        fieldBytes += name.length() + value.length();
      }
      if (arcVerification != null || arcSealing != null) {
        if (arcVerification != null) {
          arcVerification.header(field);
        } else {
          arcSealing.header(field);
        }
      }
    }

    @Override
    public void endOfHeaders() {
      authentication.endOfHeaders();
      if (arcVerification != null) {
        arcVerification.endOfHeaders();
      } else if (arcSealing != null) {
        arcSealing.endOfHeaders();
      }
    }

    @Override
    public void body(ByteBuffer chunk) {
      if (arcVerification != null) {
        arcVerification.body(chunk.duplicate());
      } else if (arcSealing != null) {
        arcSealing.body(chunk.duplicate());
      }
      authentication.body(chunk);
    }

    @Override
    public CompletionStage<Decision> finish() {
      if (arcVerification == null && arcSealing == null) {
        return authentication
            .finish()
            .thenApply(report -> decideAndRecord(report, Optional.empty(), Optional.empty()));
      }
      return authentication.finish().thenCompose(this::withArc);
    }

    /** RFC 8617 beside the other checks: the policy applied to the chain, and the new set. */
    private CompletionStage<Decision> withArc(AuthOutcome report) {
      ArcSettings arc = settings.arc().orElseThrow();
      DmarcOutcome dmarc = report.dmarc();
      Optional<String> remoteIp = client.map(InetAddress::getHostAddress);
      java.util.function.Function<ArcOutcome, ArcPolicy.Applied> apply =
          chain ->
              arc.policy()
                  .apply(
                      report.authenticationResults(),
                      dmarc.result() == DmarcResult.FAIL,
                      dmarc.authorDomain(),
                      chain,
                      remoteIp);
      if (arcVerification != null) {
        return arcVerification
            .finish()
            .thenApply(
                chain ->
                    decideAndRecord(report, Optional.of(apply.apply(chain)), Optional.empty()));
      }
      ArcPolicy.Applied[] applied = new ArcPolicy.Applied[1];
      arcSealing.authenticationResults(
          chain -> {
            applied[0] = apply.apply(chain);
            return applied[0].resultsAfterAuthservId();
          });
      return arcSealing
          .finish()
          .thenApply(
              (ArcSealOutcome sealed) ->
                  decideAndRecord(
                      report,
                      Optional.of(applied[0] != null ? applied[0] : apply.apply(sealed.chain())),
                      sealed.set()));
    }

    /**
     * Decides, then records the message for DMARC aggregate reports when they are on: with an ARC
     * override, the row says {@code local_policy} and names the trusted sealer (RFC 9990 §3.1).
     */
    private Decision decideAndRecord(
        AuthOutcome report, Optional<ArcPolicy.Applied> arc, Optional<ArcSet> set) {
      Optional<ArcOverride> override = arc.flatMap(ArcPolicy.Applied::override);
      Optional<String> forwarder =
          override.isPresent()
                  || report.dmarc().result() != DmarcResult.FAIL
                  || report.dmarc().disposition() == DmarcPolicy.NONE // nothing to override
                  || client.isEmpty()
              ? Optional.empty()
              : TrustedForwarder.firstCovering(
                  settings.actions().trustedForwarders(),
                  client.get(),
                  report.spf(),
                  report.dkim());
      Decision decision = decide(report, arc, set, forwarder);
      if (settings.reports().isPresent() && client.isPresent()) {
        DmarcPolicy applied =
            override.isPresent() || forwarder.isPresent()
                ? DmarcPolicy.NONE
                : applied(report.dmarc());
        OverrideReason reason =
            override.isPresent()
                ? new OverrideReason(
                    "local_policy",
                    Optional.of(
                        "arc=pass; trusted sealer "
                            + override.get().sealer()
                            + " i="
                            + override.get().instance()))
                : forwarder.isPresent()
                    ? new OverrideReason("trusted_forwarder", forwarder)
                    : OverrideReason.of("local_policy");
        settings
            .reports()
            .get()
            .record(
                report,
                client.get(),
                settings.reportEnvelopeTo() ? firstRecipient : Optional.empty(),
                subject,
                applied,
                reason);
        if (fields != null) {
          settings.reports().get().reportFailure(report, client.get(), queueId, applied, fields);
        }
      }
      return decision;
    }

    /**
     * The dmarc results annotated with a trusted forwarder's override: a comment naming it and
     * {@code policy.override=trusted_forwarder} (the RFC 9990 reason type).
     */
    private static AuthenticationResults trustedForwarder(
        AuthenticationResults results, String forwarder) {
      List<MethodResult> list = new ArrayList<>();
      for (MethodResult r : results.results()) {
        if (r.method().equals("dmarc")) {
          String note = "overridden: trusted forwarder " + forwarder;
          r =
              r.withComment(r.comment().map(c -> c + "; " + note).orElse(note))
                  .with("policy", "override", "trusted_forwarder");
        }
        list.add(r);
      }
      return new AuthenticationResults(results.authservId(), results.version(), list);
    }

    /** What the filter does with a DMARC fail: the strongest of none, quarantine and reject. */
    private DmarcPolicy applied(DmarcOutcome dmarc) {
      if (dmarc.disposition() == DmarcPolicy.REJECT) {
        return switch (settings.actions().dmarcReject()) {
          case REJECT -> DmarcPolicy.REJECT;
          case QUARANTINE -> DmarcPolicy.QUARANTINE;
          case HEADER_ONLY -> DmarcPolicy.NONE;
        };
      }
      if (dmarc.disposition() == DmarcPolicy.QUARANTINE) {
        return settings.actions().dmarcQuarantine() == FilterConfig.DmarcQuarantineAction.QUARANTINE
            ? DmarcPolicy.QUARANTINE
            : DmarcPolicy.NONE;
      }
      return DmarcPolicy.NONE;
    }

    private Decision decide(
        AuthOutcome report,
        Optional<ArcPolicy.Applied> arc,
        Optional<ArcSet> set,
        Optional<String> forwarder) {
      List<HeaderChange> changes = new ArrayList<>();
      AuthenticationResults results =
          arc.map(ArcPolicy.Applied::results).orElse(report.authenticationResults());
      if (forwarder.isPresent()) {
        results = trustedForwarder(results, forwarder.get());
      }
      changes.add(new HeaderChange.Insert(0, "Authentication-Results", results.fold(78, "\n")));
      if (settings.receivedSpf()) {
        String receivedSpf =
            new ReceivedSpf(report.spf(), settings.authenticator().authservId()).value();
        changes.add(new HeaderChange.Insert(0, ReceivedSpf.NAME, receivedSpf));
      }
      DmarcOutcome dmarc = report.dmarc();
      count("spf", report.spf().result().keyword());
      count("dkim", report.dkimSummary().keyword());
      count("dmarc", dmarc.result().keyword());
      Decision decision =
          new Decision(Verdict.proceed(), Optional.empty(), changes, java.util.Map.of())
              .withDetail("spf", report.spf().result().keyword())
              .withDetail("dkim", report.dkimSummary().keyword())
              .withDetail("dmarc", dmarc.result().keyword())
              .withDetail("from_domain", dmarc.authorDomain().orElse("-"));
      if (arc.isPresent()) {
        count("arc", arc.get().arc().cv().tag());
        decision = decision.withDetail("arc", arc.get().arc().cv().tag());
      }
      if (set.isPresent()) {
        // on top of everything this filter adds: ARC-Seal first, as RFC 8617 §4.1 orders a set
        decision =
            decision
                .withChanges(setChanges(set.get()))
                .withDetail("arc_seal", "i=" + set.get().instance());
      }
      if (dmarc.result() == DmarcResult.TEMPERROR) {
        decision = decision.withDetail("reason", dmarc.reason());
        if (settings.actions().onError() == MilterSettings.ErrorAction.TEMPFAIL) {
          return Decision.of(
                  Verdict.tempfail(
                      SmtpReply.of(
                          451,
                          "4.7.1",
                          "DMARC check of "
                              + dmarc.authorDomain().orElse("the From: domain")
                              + " failed temporarily; try again later"),
                      dmarc.reason()))
              .withDetail("dmarc", "temperror");
        }
        return decision;
      }
      if (dmarc.result() != DmarcResult.FAIL) {
        return decision;
      }
      if (arc.isPresent() && arc.get().override().isPresent()) {
        // RFC 8617 §7.2: a trusted sealer recorded an aligned pass; local policy overrides
        return decision
            .withDetail("reason", dmarc.reason())
            .withDetail("arc_override", arc.get().override().get().sealer());
      }
      if (forwarder.isPresent()) {
        // RFC 9989 §5.8: local policy exempts mail from a known, trusted forwarder
        return decision
            .withDetail("reason", dmarc.reason())
            .withDetail("trusted_forwarder", forwarder.get());
      }
      String domain = dmarc.authorDomain().orElse("the From: domain");
      decision = decision.withDetail("reason", dmarc.reason());
      if (dmarc.disposition() == DmarcPolicy.REJECT) {
        return switch (settings.actions().dmarcReject()) {
          case REJECT ->
              Decision.of(
                      Verdict.reject(
                          SmtpReply.of(
                              550,
                              "5.7.1",
                              "Email from "
                                  + domain
                                  + " rejected: it failed DMARC and "
                                  + domain
                                  + " asks that such mail be rejected (p=reject)"),
                          "dmarc=fail " + dmarc.reason()))
                  .withDetail("dmarc", "fail")
                  .withDetail("from_domain", domain);
          case QUARANTINE -> decision.withQuarantine("DMARC fail, p=reject of " + domain);
          case HEADER_ONLY -> decision;
        };
      }
      if (dmarc.disposition() == DmarcPolicy.QUARANTINE
          && settings.actions().dmarcQuarantine()
              == FilterConfig.DmarcQuarantineAction.QUARANTINE) {
        return decision.withQuarantine("DMARC fail, p=quarantine of " + domain);
      }
      return decision;
    }
  }

  /**
   * An outbound message: headers are kept until From: is known, then everything is signed, and, for
   * the configured From: domains, sealed (RFC 8617 §5.1) over the message as it leaves: the new
   * ARC-Message-Signature covers the DKIM-Signature fields added here.
   */
  private final class Outbound implements Message {
    private final String why;
    private final Optional<String> login;
    private final List<byte[]> headers = new ArrayList<>();
    private String fromAddress;
    private DkimSignStream signing;
    private ArcSealStream sealing;
    private int signatures;
    private String unsignedBecause;

    Outbound(String why, Optional<String> login) {
      this.why = why;
      this.login = login;
    }

    @Override
    public void header(String name, String value) {
      byte[] field = crlf(name + ":" + value);
      headers.add(field);
      if (fromAddress == null && name.strip().equalsIgnoreCase("From")) {
        fromAddress = firstAddress(value).orElse(null);
      }
    }

    @Override
    public void endOfHeaders() {
      if (fromAddress == null) {
        headers.clear();
        return;
      }
      startSealing();
      List<DkimSigner> signers =
          settings.signers().isEmpty() ? List.of() : settings.signers().forSender(fromAddress);
      if (!signers.isEmpty()) {
        DkimSignStream started = DkimSignStream.of(signers);
        try {
          for (byte[] field : headers) {
            started.header(field);
          }
          started.endOfHeaders();
          signing = started;
          signatures = signers.size();
        } catch (IllegalArgumentException tooLarge) {
          // A header section beyond the signer's bounds: deliver unsigned, say why in the log.
          unsignedBecause = tooLarge.getMessage();
        }
      }
      headers.clear();
    }

    /** Starts the ARC set when the From: domain is one the sealer seals outbound mail for. */
    private void startSealing() {
      ArcSettings arc = settings.arc().orElse(null);
      if (arc == null || arc.sealer().isEmpty()) {
        return;
      }
      String domain = fromAddress.substring(fromAddress.lastIndexOf('@') + 1);
      if (!arc.sealOutbound().test(domain.toLowerCase(Locale.ROOT))) {
        return;
      }
      ArcSealStream started = arc.sealer().get().newStream();
      for (byte[] field : headers) {
        started.header(field);
      }
      started.endOfHeaders();
      sealing = started;
    }

    @Override
    public void body(ByteBuffer chunk) {
      if (sealing != null) {
        sealing.body(chunk.duplicate());
      }
      if (signing != null) {
        signing.body(chunk);
      }
    }

    @Override
    public CompletionStage<Decision> finish() {
      Decision base = Decision.proceed().withDetail("direction", "outbound (" + why + ")");
      CompletionStage<List<DkimSignatureField>> signed;
      if (signing == null) {
        String why =
            unsignedBecause != null
                ? unsignedBecause
                : fromAddress == null
                    ? "no From: address"
                    : "no key for " + fromAddress.toLowerCase(Locale.ROOT);
        base = base.withDetail("dkim_sign", "none: " + why);
        signed = CompletableFuture.completedFuture(List.of());
      } else {
        DkimSignStream done = signing;
        base = base.withDetail("dkim_sign", signatures + " signature(s)");
        signed = CompletableFuture.supplyAsync(done::finish, settings.worker());
      }
      Decision decision = base;
      return signed.thenCompose(
          fields -> {
            List<HeaderChange> changes = new ArrayList<>();
            // Inserted at the top in reverse, so that they end up in the signers' order.
            for (int i = fields.size() - 1; i >= 0; i--) {
              DkimSignatureField field = fields.get(i);
              changes.add(new HeaderChange.Insert(0, DkimSignatureField.NAME, field.value()));
            }
            Decision signedDecision = decision.withChanges(changes);
            if (sealing == null) {
              return CompletableFuture.completedFuture(signedDecision);
            }
            sealing.fieldsOnTop(
                fields.stream().map(f -> f.field().getBytes(StandardCharsets.UTF_8)).toList());
            sealing.authenticationResults(this::ownView);
            return sealing.finish().thenApply(result -> withSet(signedDecision, result));
          });
    }

    /**
     * What this filter knows of an outbound message, for the ARC-Authentication-Results: the chain
     * it arrived with ({@code arc=none} for a new message), with why it is outbound as a comment,
     * and the SMTP AUTH identity when the client logged in (RFC 8601 §2.7.4 {@code auth}).
     */
    private String ownView(ArcOutcome chain) {
      List<MethodResult> results = new ArrayList<>();
      results.add(
          ArcResultClauses.arc(chain, client.map(InetAddress::getHostAddress))
              .withComment("outbound: " + why));
      login.ifPresent(
          user -> results.add(MethodResult.of("auth", "pass").with("smtp", "auth", user)));
      String value =
          AuthenticationResults.of(settings.authenticator().authservId(), results).toFieldValue();
      return value.substring(value.indexOf(';') + 1).strip();
    }

    private Decision withSet(Decision decision, ArcSealOutcome sealed) {
      if (sealed.set().isEmpty()) {
        return decision.withDetail("arc_seal", "none: " + sealed.reason());
      }
      ArcSet set = sealed.set().get();
      return decision.withChanges(setChanges(set)).withDetail("arc_seal", "i=" + set.instance());
    }
  }

  /** An ARC set as header insertions on top, in the order RFC 8617 §4.1 gives: ARC-Seal first. */
  private static List<HeaderChange> setChanges(ArcSet set) {
    List<String> fields = set.fields("\n");
    List<HeaderChange> changes = new ArrayList<>();
    for (int i = fields.size() - 1; i >= 0; i--) {
      String field = fields.get(i);
      changes.add(
          new HeaderChange.Insert(
              0, field.substring(0, field.indexOf(':')), ArcSet.valueOf(field)));
    }
    return changes;
  }

  /** The field as DKIM hashes it: LF folding turned into CRLF. */
  private static byte[] crlf(String field) {
    // Header text arrives as ISO-8859-1 (one char per octet), so this is the field's octets.
    byte[] octets = field.getBytes(StandardCharsets.ISO_8859_1);
    return AuthStream.crlf(octets, 0, octets.length);
  }

  /** The first mailbox address of a From: value, if it has one (RFC 5322 §3.6.2). */
  static Optional<String> firstAddress(String value) {
    String text =
        new String(value.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8)
            .replace("\r", "")
            .replace("\n", "");
    AddressList list = LenientAddressParser.DEFAULT.parseAddressList(text);
    for (Address address : list) {
      if (address instanceof Mailbox mailbox && mailbox.getDomain() != null) {
        return Optional.of(mailbox.getAddress());
      }
      if (address instanceof Group group && !group.getMailboxes().isEmpty()) {
        return Optional.of(group.getMailboxes().get(0).getAddress());
      }
    }
    return Optional.empty();
  }
}
