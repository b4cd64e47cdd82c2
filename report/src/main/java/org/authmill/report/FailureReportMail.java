package org.authmill.report;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSignatureField;
import org.authmill.dkim.DkimSigner;

/**
 * The email that carries one failure report: an ARF message (RFC 5965 §2) of {@code
 * multipart/report; report-type=feedback-report} with a human-readable part, the {@code
 * message/feedback-report} part ({@code Feedback-Type: auth-failure}, RFC 6591 §3.1, with RFC 9991
 * §5's {@code Auth-Failure: dmarc} and {@code Identity-Alignment}) and the failed message's header
 * as {@code text/rfc822-headers} (no body: RFC 9991 §6 asks to minimize what is exposed, and the
 * header is what diagnosis needs). {@code Auto-Submitted: auto-generated} marks it as machine mail;
 * with a DKIM signer it is signed (RFC 9991 §4.1 asks for aligned report streams).
 */
public final class FailureReportMail {
  private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

  private FailureReportMail() {}

  /**
   * The whole message, CRLF line ends, header octets of the failed message kept as they came
   * (ISO-8859-1 in, ISO-8859-1 out).
   *
   * @param identity who reports (From:, and the {@code User-Agent})
   * @param event the failed message
   * @param kind which failure this report is about
   * @param to the recipient address
   * @param date the Date field
   * @param messageId the report's Message-ID, without angle brackets
   * @param redactor redaction of addresses and links
   * @param spfRecord the SPF record of {@link FailureEvent#spfDomain()}, for {@code SPF-DNS}
   * @param signer the DKIM signer for the reporting domain, if any
   */
  public static byte[] build(
      ReporterIdentity identity,
      FailureEvent event,
      FailureKind kind,
      String to,
      Instant date,
      String messageId,
      Redactor redactor,
      Optional<String> spfRecord,
      Optional<DkimSigner> signer) {
    String boundary = "authmill-arf-" + Integer.toHexString(messageId.hashCode() & 0x7fffffff);
    StringBuilder m = new StringBuilder(4096);
    m.append("From: ").append(identity.email()).append("\r\n");
    m.append("To: ").append(to).append("\r\n");
    m.append("Subject: ")
        .append(subject(kind, event.authorDomain(), event.sourceIp()))
        .append("\r\n");
    m.append("Date: ").append(DATE.format(date.atOffset(ZoneOffset.UTC))).append("\r\n");
    m.append("Message-ID: <").append(messageId).append(">\r\n");
    m.append("Auto-Submitted: auto-generated\r\n");
    m.append("MIME-Version: 1.0\r\n");
    m.append("Content-Type: multipart/report; report-type=feedback-report;\r\n")
        .append("\tboundary=\"")
        .append(boundary)
        .append("\"\r\n\r\n");
    m.append("This is an authentication failure report (RFC 6591) in MIME format.\r\n");

    m.append("--").append(boundary).append("\r\n");
    m.append("Content-Type: text/plain; charset=us-ascii\r\n");
    m.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
    m.append("This is an authentication failure report (")
        .append(kind.authFailure())
        .append(") for a message from ")
        .append(event.authorDomain())
        .append("\r\nreceived from IP ")
        .append(event.sourceIp())
        .append(" on ")
        .append(DATE.format(event.time().atOffset(ZoneOffset.UTC)))
        .append(".\r\n");
    if (redactor.redacts()) {
      m.append("Local parts of addresses are replaced by tokens; links are defanged (hxxp).\r\n");
    }

    m.append("--").append(boundary).append("\r\n");
    m.append("Content-Type: message/feedback-report\r\n");
    m.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
    field(m, "Feedback-Type", "auth-failure");
    field(m, "User-Agent", identity.generator().replace(' ', '/'));
    field(m, "Version", "1");
    field(m, "Auth-Failure", kind.authFailure());
    field(m, "Identity-Alignment", event.identityAlignment());
    field(m, "Authentication-Results", redactor.text(event.authenticationResults()));
    event.queueId().ifPresent(q -> field(m, "Original-Envelope-Id", q));
    event.mailFrom().ifPresent(f -> field(m, "Original-Mail-From", redactor.text(f)));
    field(m, "Arrival-Date", DATE.format(event.time().atOffset(ZoneOffset.UTC)));
    field(m, "Reporting-MTA", "dns; " + identity.submitter());
    field(m, "Source-IP", event.sourceIp());
    field(m, "Reported-Domain", event.authorDomain());
    field(m, "Delivery-Result", event.deliveryResult());
    if (kind != FailureKind.SPF) {
      event
          .dkim()
          .ifPresent(
              s -> {
                field(m, "DKIM-Domain", s.domain());
                field(m, "DKIM-Identity", redactor.text(s.identity()));
                field(m, "DKIM-Selector", s.selector());
              });
    }
    if (kind != FailureKind.DKIM && event.spfDomain().isPresent() && spfRecord.isPresent()) {
      field(m, "SPF-DNS", "txt : " + event.spfDomain().get() + " : " + oneLine(spfRecord.get()));
    }

    StringBuilder headers = new StringBuilder(1024);
    for (FailureEvent.HeaderField f : event.headers()) {
      String value = crlf(redactor.field(f.name(), f.value()));
      headers.append(f.name()).append(':');
      if (!value.isEmpty() && value.charAt(0) != ' ' && value.charAt(0) != '\t') {
        headers.append(' ');
      }
      headers.append(value).append("\r\n");
    }
    boolean eightBit = headers.chars().anyMatch(c -> c > 127);
    m.append("\r\n--").append(boundary).append("\r\n");
    m.append("Content-Type: text/rfc822-headers\r\n");
    m.append("Content-Transfer-Encoding: ").append(eightBit ? "8bit" : "7bit").append("\r\n\r\n");
    m.append(headers);
    m.append("\r\n--").append(boundary).append("--\r\n");
    byte[] bytes = m.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (signer.isEmpty()) {
      return bytes;
    }
    try {
      List<DkimSignatureField> fields =
          DkimSignStream.sign(List.of(signer.get()), new ByteArrayInputStream(bytes));
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 1024);
      for (DkimSignatureField f : fields) {
        out.write((f.field() + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.write(bytes);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The Subject of a failure report. */
  static String subject(FailureKind kind, String domain, String ip) {
    return "Authentication failure report ("
        + kind.authFailure()
        + ") for "
        + domain
        + " from "
        + ip;
  }

  private static void field(StringBuilder m, String name, String value) {
    m.append(name).append(": ").append(oneLine(value)).append("\r\n");
  }

  /** A value on one line: line breaks of folding become spaces, other controls are dropped. */
  private static String oneLine(String value) {
    StringBuilder b = new StringBuilder(value.length());
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\r' || c == '\n' || c == '\t') {
        if (b.length() > 0 && b.charAt(b.length() - 1) != ' ') {
          b.append(' ');
        }
      } else if (c >= 0x20 && c != 0x7f) {
        b.append(c);
      }
    }
    return b.toString().strip();
  }

  /** Folded lines with CRLF; a bare CR or LF becomes CRLF. */
  private static String crlf(String value) {
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n");
  }
}
