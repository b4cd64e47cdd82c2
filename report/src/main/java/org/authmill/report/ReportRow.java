package org.authmill.report;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * What one aggregate report {@code record} says about a set of messages, without their count (RFC
 * 9990 §3.1.1.8): the source IP, the policy evaluated, the identifiers and the authentication
 * results. Messages whose rows are equal are counted together.
 *
 * @param sourceIp the connecting IP address, in the form {@link java.net.InetAddress} prints
 * @param headerFrom the RFC 5322.From domain, lower case
 * @param envelopeFrom the RFC 5321.MailFrom domain; present but empty for the null reverse-path
 * @param envelopeTo the RFC 5321.RcptTo domain, where recorded
 * @param evaluated the policy evaluated
 * @param spf the SPF result, when SPF was checked
 * @param dkim every DKIM signature's result, at most {@link #MAX_SIGNATURES}, best first (RFC 9990
 *     §3.1.2)
 */
public record ReportRow(
    String sourceIp,
    String headerFrom,
    Optional<String> envelopeFrom,
    Optional<String> envelopeTo,
    PolicyEvaluated evaluated,
    Optional<SpfAuth> spf,
    List<DkimAuth> dkim) {
  /** RFC 9990 §3.1.2: no more than 100 signatures for a row. */
  public static final int MAX_SIGNATURES = 100;

  public ReportRow {
    sourceIp = Fields.token(sourceIp, "source IP");
    headerFrom = Fields.token(headerFrom, "header_from").toLowerCase(Locale.ROOT);
    envelopeFrom =
        Objects.requireNonNull(envelopeFrom, "envelopeFrom")
            .map(d -> Fields.token(d, "envelope_from").toLowerCase(Locale.ROOT));
    envelopeTo =
        Objects.requireNonNull(envelopeTo, "envelopeTo")
            .map(d -> Fields.token(d, "envelope_to").toLowerCase(Locale.ROOT));
    Objects.requireNonNull(evaluated, "evaluated");
    Objects.requireNonNull(spf, "spf");
    dkim = List.copyOf(dkim.size() > MAX_SIGNATURES ? dkim.subList(0, MAX_SIGNATURES) : dkim);
  }

  /**
   * A stable key for the store: the SHA-256 of every field, so that equal rows from any instance
   * meet in one stored row.
   */
  public String key() {
    StringBuilder b = new StringBuilder(256);
    b.append(sourceIp).append('\u0001').append(headerFrom).append('\u0001');
    b.append(envelopeFrom.map(v -> "=" + v).orElse("-")).append('\u0001');
    b.append(envelopeTo.map(v -> "=" + v).orElse("-")).append('\u0001');
    b.append(evaluated.disposition())
        .append('\u0001')
        .append(evaluated.dkim())
        .append('\u0001')
        .append(evaluated.spf())
        .append('\u0001');
    for (OverrideReason r : evaluated.reasons()) {
      b.append(r.type()).append('\u0002').append(r.comment().orElse("")).append('\u0003');
    }
    b.append('\u0001');
    spf.ifPresent(
        s ->
            b.append(s.domain())
                .append('\u0002')
                .append(s.scope())
                .append('\u0002')
                .append(s.result()));
    b.append('\u0001');
    for (DkimAuth d : dkim) {
      b.append(d.domain())
          .append('\u0002')
          .append(d.selector())
          .append('\u0002')
          .append(d.result())
          .append('\u0003');
    }
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(b.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
