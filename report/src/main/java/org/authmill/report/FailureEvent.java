package org.authmill.report;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One message that failed in a way a DMARC Policy Record asks failure reports for (RFC 9991 §3,
 * {@code fo} and {@code ruf} of RFC 9989 §4.7): what the ARF report (RFC 6591) says about it.
 *
 * @param time when it arrived ({@code Arrival-Date})
 * @param sourceIp the SMTP client ({@code Source-IP})
 * @param policyDomain the DMARC Policy Domain whose record asks for the reports
 * @param organizationalDomain its Organizational Domain (external destinations are verified against
 *     it)
 * @param authorDomain the RFC5322.From domain ({@code Reported-Domain})
 * @param mailFrom the RFC5321.MailFrom ({@code Original-Mail-From}), empty for the null path
 * @param queueId the MTA's queue id ({@code Original-Envelope-Id}), when known
 * @param kinds the reports this message earns, each at most once
 * @param identityAlignment the mechanisms that did not authenticate an aligned identity, such as
 *     {@code dkim, spf}, or {@code none} (RFC 9991 §5)
 * @param dkim the DKIM signature to name in {@code DKIM-Domain}, {@code DKIM-Identity} and {@code
 *     DKIM-Selector}: an aligned one that failed, else a failed one
 * @param spfDomain the domain SPF checked, when SPF failed (its record goes in {@code SPF-DNS})
 * @param authenticationResults the filter's Authentication-Results value
 * @param deliveryResult {@code delivered}, {@code spam} or {@code reject} (RFC 6591 §3.1)
 * @param ruf the {@code ruf} URIs of the record
 * @param headers the message's header fields, in order
 */
public record FailureEvent(
    Instant time,
    String sourceIp,
    String policyDomain,
    String organizationalDomain,
    String authorDomain,
    Optional<String> mailFrom,
    Optional<String> queueId,
    List<FailureKind> kinds,
    String identityAlignment,
    Optional<Signature> dkim,
    Optional<String> spfDomain,
    String authenticationResults,
    String deliveryResult,
    List<String> ruf,
    List<HeaderField> headers) {
  public FailureEvent {
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(sourceIp, "sourceIp");
    Objects.requireNonNull(policyDomain, "policyDomain");
    Objects.requireNonNull(organizationalDomain, "organizationalDomain");
    Objects.requireNonNull(authorDomain, "authorDomain");
    Objects.requireNonNull(mailFrom, "mailFrom");
    Objects.requireNonNull(queueId, "queueId");
    kinds = List.copyOf(kinds);
    Objects.requireNonNull(identityAlignment, "identityAlignment");
    Objects.requireNonNull(dkim, "dkim");
    Objects.requireNonNull(spfDomain, "spfDomain");
    Objects.requireNonNull(authenticationResults, "authenticationResults");
    Objects.requireNonNull(deliveryResult, "deliveryResult");
    ruf = List.copyOf(ruf);
    headers = List.copyOf(headers);
  }

  /**
   * A DKIM signature named in the report.
   *
   * @param domain {@code d=}
   * @param identity {@code i=}, by default {@code @} and the domain
   * @param selector {@code s=}
   */
  public record Signature(String domain, String identity, String selector) {
    public Signature {
      Objects.requireNonNull(domain, "domain");
      Objects.requireNonNull(identity, "identity");
      Objects.requireNonNull(selector, "selector");
    }
  }

  /**
   * One header field as the MTA gave it.
   *
   * @param name the field name
   * @param value the value, folded lines as given (LF or CRLF)
   */
  public record HeaderField(String name, String value) {
    public HeaderField {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(value, "value");
    }
  }
}
