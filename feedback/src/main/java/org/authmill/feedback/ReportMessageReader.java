package org.authmill.feedback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.james.mime4j.MimeException;
import org.apache.james.mime4j.parser.AbstractContentHandler;
import org.apache.james.mime4j.parser.MimeStreamParser;
import org.apache.james.mime4j.stream.BodyDescriptor;
import org.apache.james.mime4j.stream.Field;
import org.apache.james.mime4j.stream.MimeConfig;

/**
 * Finds the DMARC reports in one mail message, streaming it with mime4j: aggregate reports sent as
 * attachments (RFC 9990 §5.5: gzip, zip or XML, whatever the Content-Type says when the name or the
 * content tells), and a failure report (RFC 9991 / RFC 6591: a {@code multipart/report} with a
 * {@code message/feedback-report} part, or the plain-text form some MTAs send).
 */
public final class ReportMessageReader {
  /** Receives what a message holds. */
  public interface Listener {
    /**
     * An attachment that should hold an aggregate report (still compressed, transfer-decoded). Only
     * valid during the call.
     */
    void attachment(String name, InputStream content) throws IOException;

    /** The message's failure report. */
    void failure(FailureReport report) throws IOException;
  }

  private static final Set<String> REPORT_TYPES =
      Set.of(
          "application/gzip",
          "application/x-gzip",
          "application/gzip-compressed",
          "application/x-gzip-compressed",
          "application/zip",
          "application/x-zip",
          "application/x-zip-compressed",
          "application/xml",
          "text/xml");
  private static final Pattern NAME =
      Pattern.compile("(?i)(?:^|;)\\s*(?:file)?name\\*?\\s*=\\s*(?:\"([^\"]*)\"|([^;\\s]+))");
  private static final Pattern TEXT_FIELD =
      Pattern.compile("(?im)^\\s*(Sender Domain|Sender IP Address|Received date):\\s*(.+?)\\s*$");

  private ReportMessageReader() {}

  /**
   * Reads one message.
   *
   * @return how many reports (attachments plus a failure report) were handed to the listener
   * @throws ReportFormatException when the message holds no DMARC report or cannot be parsed
   */
  public static int read(InputStream message, Listener listener) throws IOException {
    Handler handler = new Handler(listener);
    MimeConfig config =
        new MimeConfig.Builder()
            .setMaxLineLen(-1)
            .setMaxHeaderLen(1 << 20)
            .setMaxHeaderCount(10_000)
            .setMaxContentLen(-1)
            .setStrictParsing(false)
            .build();
    MimeStreamParser parser = new MimeStreamParser(config);
    parser.setContentDecoding(true);
    parser.setNoRecurse();
    parser.setContentHandler(handler);
    try {
      parser.parse(message);
    } catch (MimeException e) {
      throw new ReportFormatException("cannot parse the message: " + e.getMessage(), e);
    }
    int found = handler.attachments;
    FailureReport failure = handler.failure();
    if (failure != null) {
      listener.failure(failure);
      found++;
    }
    if (found == 0) {
      throw new ReportFormatException(
          "no DMARC report in the message"
              + (handler.subject.isEmpty() ? "" : " (Subject: " + handler.subject + ")"));
    }
    return found;
  }

  /** Reads a message that must hold a failure report, for tests and callers that want only it. */
  public static FailureReport readFailure(InputStream message) throws IOException {
    List<FailureReport> out = new ArrayList<>();
    read(
        message,
        new Listener() {
          @Override
          public void attachment(String name, InputStream content) {}

          @Override
          public void failure(FailureReport report) {
            out.add(report);
          }
        });
    if (out.isEmpty()) {
      throw new ReportFormatException("the message holds no failure report");
    }
    return out.get(0);
  }

  private static final class Handler extends AbstractContentHandler {
    private final Listener listener;
    private final Deque<String> multiparts = new ArrayDeque<>();
    private int depth;
    private String contentType = "";
    private String disposition = "";
    int attachments;
    String subject = "";
    String messageId = "";
    String from = "";
    String date = "";
    HeaderBlock feedback;
    HeaderBlock original;
    String text = "";
    boolean reportType;

    Handler(Listener listener) {
      this.listener = listener;
    }

    @Override
    public void startMessage() {
      depth++;
    }

    @Override
    public void endMessage() {
      depth--;
    }

    @Override
    public void startHeader() {
      contentType = "";
      disposition = "";
    }

    @Override
    public void field(Field field) {
      String name = field.getNameLowerCase();
      String body = unfold(field.getBody());
      switch (name) {
        case "content-type" -> contentType = body;
        case "content-disposition" -> disposition = body;
        default -> {}
      }
      if (depth == 1 && multiparts.isEmpty() && partDepth == 0) {
        switch (name) {
          case "subject" -> subject = body;
          case "message-id" -> messageId = body;
          case "from" -> from = body;
          case "date" -> date = body;
          default -> {}
        }
      }
    }

    private int partDepth;

    @Override
    public void startBodyPart() {
      partDepth++;
    }

    @Override
    public void endBodyPart() {
      partDepth--;
    }

    @Override
    public void startMultipart(BodyDescriptor bd) {
      multiparts.push(bd.getMimeType());
      if (bd.getMimeType().equals("multipart/report")
          && contentType.toLowerCase(Locale.ROOT).contains("feedback-report")) {
        reportType = true;
      }
    }

    @Override
    public void endMultipart() {
      multiparts.pop();
    }

    @Override
    public void body(BodyDescriptor bd, InputStream is) throws IOException {
      String type = bd.getMimeType().toLowerCase(Locale.ROOT);
      String name = filename(disposition);
      if (name.isEmpty()) {
        name = filename(contentType);
      }
      String lower = name.toLowerCase(Locale.ROOT);
      switch (type) {
        case "message/feedback-report" -> {
          feedback = HeaderBlock.read(is);
          return;
        }
        case "message/rfc822", "text/rfc822-headers", "text/rfc822-header" -> {
          if (original == null) {
            original = HeaderBlock.read(is);
          }
          return;
        }
        default -> {}
      }
      boolean named =
          lower.endsWith(".xml")
              || lower.endsWith(".gz")
              || lower.endsWith(".gzip")
              || lower.endsWith(".zip");
      if (REPORT_TYPES.contains(type) || named) {
        attachments++;
        listener.attachment(name.isEmpty() ? "(" + type + " attachment)" : name, is);
        return;
      }
      if (type.equals("application/octet-stream")) {
        java.io.BufferedInputStream buffered = new java.io.BufferedInputStream(is);
        if (!ReportPayloads.kind(buffered).equals("xml")) {
          attachments++;
          listener.attachment(name.isEmpty() ? "(attachment)" : name, buffered);
        }
        return;
      }
      if (type.equals("text/plain") && text.isEmpty()) {
        text = readText(is, bd.getCharset());
      }
    }

    /** The failure report, if the message is one. */
    FailureReport failure() {
      if (feedback != null) {
        return fromArf();
      }
      if (attachments == 0 && looksLikeTextFailure()) {
        return fromText();
      }
      return null;
    }

    private boolean looksLikeTextFailure() {
      String s = subject.toLowerCase(Locale.ROOT);
      return (s.contains("dmarc") && (s.contains("forensic") || s.contains("failure")))
          || TEXT_FIELD.matcher(text).find();
    }

    private FailureReport fromArf() {
      HeaderBlock f = feedback;
      HeaderBlock o = original == null ? HeaderBlock.parse("", true) : original;
      int incidents = 1;
      try {
        if (!f.first("Incidents").isEmpty()) {
          incidents = Integer.parseInt(f.first("Incidents"));
        }
      } catch (NumberFormatException e) {
        incidents = 1;
      }
      return new FailureReport(
          f.word("Feedback-Type"),
          f.first("User-Agent"),
          firstToken(f.first("Source-IP")),
          domain(f.first("Reported-Domain")),
          f.first("Arrival-Date").isEmpty() ? f.first("Received-Date") : f.first("Arrival-Date"),
          f.first("Original-Mail-From"),
          f.all("Original-Rcpt-To"),
          f.word("Auth-Failure"),
          f.word("Identity-Alignment"),
          f.word("Delivery-Result"),
          domain(f.first("DKIM-Domain")),
          f.first("DKIM-Selector"),
          f.first("SPF-DNS"),
          f.all("Authentication-Results"),
          f.first("Reporting-MTA"),
          incidents,
          o.first("From"),
          o.first("Subject"),
          o.first("Message-ID"),
          messageId,
          from,
          date,
          true);
    }

    private FailureReport fromText() {
      String domain = "";
      String ip = "";
      String received = "";
      Matcher m = TEXT_FIELD.matcher(text);
      while (m.find()) {
        switch (m.group(1).toLowerCase(Locale.ROOT)) {
          case "sender domain" -> domain = domain(m.group(2));
          case "sender ip address" -> ip = firstToken(m.group(2));
          case "received date" -> received = m.group(2);
          default -> {}
        }
      }
      HeaderBlock o = original != null ? original : HeaderBlock.parse(text, false);
      return new FailureReport(
          "auth-failure",
          "",
          ip,
          domain,
          received,
          "",
          List.of(),
          "dmarc",
          "",
          "",
          "",
          "",
          "",
          o.all("Authentication-Results"),
          "",
          1,
          o.first("From"),
          o.first("Subject"),
          o.first("Message-Id"),
          messageId,
          from,
          date,
          false);
    }
  }

  private static String domain(String value) {
    String d = value.strip().toLowerCase(Locale.ROOT);
    return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
  }

  /** "192.0.2.1 (host.example)" reads 192.0.2.1. */
  private static String firstToken(String value) {
    String v = value.strip();
    int space = v.indexOf(' ');
    return (space < 0 ? v : v.substring(0, space)).toLowerCase(Locale.ROOT);
  }

  private static String unfold(String body) {
    return body.replaceAll("\r?\n[ \t]*", " ").strip();
  }

  private static String filename(String header) {
    Matcher m = NAME.matcher(header);
    if (!m.find()) {
      return "";
    }
    String name = m.group(1) != null ? m.group(1) : m.group(2);
    int slash = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
    return name.substring(slash + 1).strip();
  }

  private static String readText(InputStream is, String charset) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    byte[] chunk = new byte[8192];
    int n;
    while (bytes.size() < HeaderBlock.MAX_BYTES && (n = is.read(chunk)) > 0) {
      bytes.write(chunk, 0, Math.min(n, HeaderBlock.MAX_BYTES - bytes.size()));
    }
    try {
      return bytes.toString(charset == null ? "UTF-8" : charset);
    } catch (java.io.UnsupportedEncodingException e) {
      return bytes.toString(StandardCharsets.UTF_8);
    }
  }
}
