package org.authmill.report;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.authmill.dkim.DkimSignStream;
import org.authmill.dkim.DkimSignatureField;
import org.authmill.dkim.DkimSigner;

/**
 * The email that carries an aggregate report (RFC 9990 §3.3.2): an RFC 5322 / MIME message with a
 * short text part and the gzip-compressed XML as an {@code application/gzip} attachment named
 * {@code receiver!policy-domain!begin!end[!unique-id].xml.gz}, the Subject {@code Report Domain: D
 * Submitter: S Report-ID: <id>} and the Report-ID as Message-ID. {@code Auto-Submitted:
 * auto-generated} (RFC 3834) marks it as machine mail. When a DKIM signer is given the message is
 * signed (the report stream must pass DMARC, RFC 9990 §3.3.2).
 */
public final class ReportMail {
  private static final Pattern SUBJECT =
      Pattern.compile("^\\s*Report\\s+Domain:\\s*\\S+\\s+Submitter:\\s*\\S+.*", Pattern.DOTALL);

  private ReportMail() {}

  /** The gzip of the report's XML. */
  public static byte[] gzip(AggregateReport report) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(ReportXml.write(report).getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The attachment's file name (RFC 9990 §3.3.2). */
  public static String fileName(String submitter, AggregateReport report, Optional<String> unique) {
    ReportMetadata m = report.metadata();
    return submitter
        + "!"
        + report.published().domain()
        + "!"
        + m.begin()
        + "!"
        + m.end()
        + unique.map(u -> "!" + u).orElse("")
        + ".xml.gz";
  }

  /** The Subject field's value (RFC 9990 §3.3.2), folded. */
  public static String subject(String policyDomain, String submitter, String reportId) {
    return "Report Domain: "
        + policyDomain
        + "\r\n Submitter: "
        + submitter
        + "\r\n Report-ID: <"
        + reportId
        + ">";
  }

  /**
   * True when a Subject field is that of an aggregate report (RFC 9990 §3.3.2): such messages are
   * not recorded, so that reports never cause reports about themselves.
   */
  public static boolean isReportSubject(String subject) {
    return subject != null && SUBJECT.matcher(subject.replace("\r\n", "")).matches();
  }

  /**
   * The whole message, CRLF line ends.
   *
   * @param identity who reports
   * @param report the report
   * @param gzip its compressed XML ({@link #gzip})
   * @param unique the file name's unique-id when a report is sent in parts
   * @param to the recipient address
   * @param date the Date field
   * @param signer the DKIM signer for the reporting domain, if any
   */
  public static byte[] build(
      ReporterIdentity identity,
      AggregateReport report,
      byte[] gzip,
      Optional<String> unique,
      String to,
      Instant date,
      Optional<DkimSigner> signer) {
    String id = report.metadata().reportId();
    String domain = report.published().domain();
    String boundary = "authmill-report-" + Integer.toHexString(id.hashCode() & 0x7fffffff);
    String file = fileName(identity.submitter(), report, unique);
    StringBuilder m = new StringBuilder(gzip.length * 4 / 3 + 2048);
    m.append("From: ").append(identity.email()).append("\r\n");
    m.append("To: ").append(to).append("\r\n");
    m.append("Subject: ").append(subject(domain, identity.submitter(), id)).append("\r\n");
    m.append("Date: ")
        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC)))
        .append("\r\n");
    m.append("Message-ID: <").append(id).append(">\r\n");
    m.append("Auto-Submitted: auto-generated\r\n");
    m.append("MIME-Version: 1.0\r\n");
    m.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n");
    m.append("\r\n");
    m.append("This is a DMARC aggregate report (RFC 9990) in MIME format.\r\n");
    m.append("--").append(boundary).append("\r\n");
    m.append("Content-Type: text/plain; charset=us-ascii\r\n");
    m.append("Content-Transfer-Encoding: 7bit\r\n\r\n");
    m.append("DMARC aggregate report for ")
        .append(domain)
        .append(" from ")
        .append(identity.submitter())
        .append(", ")
        .append(report.metadata().begin())
        .append(" to ")
        .append(report.metadata().end())
        .append(", ")
        .append(report.messageCount())
        .append(" messages.\r\n");
    m.append("--").append(boundary).append("\r\n");
    m.append("Content-Type: application/gzip; name=\"").append(file).append("\"\r\n");
    m.append("Content-Transfer-Encoding: base64\r\n");
    m.append("Content-Disposition: attachment; filename=\"").append(file).append("\"\r\n\r\n");
    m.append(Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(gzip));
    m.append("\r\n--").append(boundary).append("--\r\n");
    byte[] bytes = m.toString().getBytes(StandardCharsets.US_ASCII);
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
}
